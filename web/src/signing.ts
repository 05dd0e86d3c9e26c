/**
 * SigV4 for the deployed pages' API calls: the browser sends `api/<path>` to its own origin, and
 * CloudFront forwards it to API Gateway as `/<stage>/<path>` with the execute-api host (the
 * catalog site's viewer-request function and origin path), so that is the request signed. Pure:
 * no DOM, so the signature is checked in node (test/unit/web/signing.test.ts).
 */
import { Sha256 } from '@aws-crypto/sha256-js';
import { SignatureV4 } from '@smithy/signature-v4';

export interface SignInConfig {
  readonly region: string;
  readonly userPoolId: string;
  readonly clientId: string;
  readonly identityPoolId: string;
  /** The hosted sign-in's base URL, `https://<prefix>.auth.<region>.amazoncognito.com`. */
  readonly domain: string;
  /** `<api id>.execute-api.<region>.amazonaws.com` */
  readonly apiHost: string;
  readonly apiStage: string;
}

export interface Credentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken: string;
  /** Milliseconds since the epoch. */
  readonly expiration: number;
}

/** The request API Gateway receives for the page's `api/<path>`, signed with `credentials`. */
export async function signedHeaders(path: string, config: SignInConfig, credentials: Credentials): Promise<Record<string, string>> {
  const url = new URL(path.replace(/^\//, ''), 'https://origin.invalid/');
  const query: Record<string, string> = {};
  for (const [k, v] of url.searchParams) query[k] = v;
  const { accessKeyId, secretAccessKey, sessionToken } = credentials;
  const signer = new SignatureV4({ service: 'execute-api', region: config.region, credentials: { accessKeyId, secretAccessKey, sessionToken }, sha256: Sha256 });
  const signed = await signer.sign({ method: 'GET', protocol: 'https:', hostname: config.apiHost, path: `/${config.apiStage}${url.pathname}`, query, headers: { host: config.apiHost, accept: 'application/json' } });
  // The browser sets Host itself (to the site's); CloudFront replaces it with the API's.
  const { host: _host, ...headers } = signed.headers;
  return headers;
}
