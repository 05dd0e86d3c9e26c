/**
 * Sign-in for the deployed pages (loaded only when `config.json` has `signIn`): the Cognito hosted
 * sign-in with the authorization code flow and PKCE, the identity pool's credentials for the
 * reader role, and SigV4 signatures for the IAM-authorized catalog API. The browser sends each
 * request to `api/<path>` of its own origin; CloudFront forwards it to API Gateway as
 * `/<stage>/<path>` with the execute-api host, so that is the request signed.
 * https://docs.aws.amazon.com/cognito/latest/developerguide/authorization-endpoint.html
 * https://docs.aws.amazon.com/cognito/latest/developerguide/token-endpoint.html
 * https://docs.aws.amazon.com/cognitoidentity/latest/APIReference/API_GetCredentialsForIdentity.html
 */
import type { Credentials, SignInConfig } from './signing.js';

export { signedHeaders, type Credentials, type SignInConfig } from './signing.js';

const TOKEN = 'tessera.idToken';
const VERIFIER = 'tessera.pkceVerifier';
const RETURN_TO = 'tessera.returnTo';

let cached: Promise<Credentials> | undefined;

/** The reader role's credentials for the signed-in user, renewed a minute before they expire. */
export function readerCredentials(config: SignInConfig): Promise<Credentials> {
  cached = cached?.then((c) => (c.expiration - Date.now() > 60_000 ? c : fetchCredentials(config)));
  cached ??= fetchCredentials(config);
  return cached;
}

async function fetchCredentials(config: SignInConfig): Promise<Credentials> {
  const token = await ensureSignedIn(config);
  const logins = { [`cognito-idp.${config.region}.amazonaws.com/${config.userPoolId}`]: token };
  const { IdentityId } = await identityCall<{ IdentityId: string }>(config.region, 'GetId', { IdentityPoolId: config.identityPoolId, Logins: logins });
  const { Credentials: c } = await identityCall<{ Credentials: { AccessKeyId: string; SecretKey: string; SessionToken: string; Expiration: number } }>(config.region, 'GetCredentialsForIdentity', { IdentityId, Logins: logins });
  return { accessKeyId: c.AccessKeyId, secretAccessKey: c.SecretKey, sessionToken: c.SessionToken, expiration: c.Expiration * 1000 };
}

async function identityCall<T>(region: string, action: string, body: object): Promise<T> {
  const response = await fetch(`https://cognito-identity.${region}.amazonaws.com/`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': `AWSCognitoIdentityService.${action}` },
    body: JSON.stringify(body),
  });
  if (!response.ok) throw new Error(`sign-in failed: the identity pool refused ${action} (${response.status})`);
  return (await response.json()) as T;
}

/** The user's ID token; without one, goes to the hosted sign-in (and this promise never settles). */
export async function ensureSignedIn(config: SignInConfig): Promise<string> {
  const redirectUri = `${location.origin}${location.pathname}`;
  const code = new URLSearchParams(location.search).get('code');
  if (code !== null) {
    const token = await exchangeCode(config, code, redirectUri);
    sessionStorage.setItem(TOKEN, token);
    history.replaceState(null, '', `${location.pathname}${sessionStorage.getItem(RETURN_TO) ?? ''}`);
    return token;
  }
  const stored = sessionStorage.getItem(TOKEN);
  if (stored !== null && expiresAt(stored) - Date.now() > 60_000) return stored;
  const verifier = base64url(crypto.getRandomValues(new Uint8Array(48)));
  const challenge = base64url(new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(verifier))));
  sessionStorage.setItem(VERIFIER, verifier);
  sessionStorage.setItem(RETURN_TO, location.hash);
  const params = new URLSearchParams({ response_type: 'code', client_id: config.clientId, redirect_uri: redirectUri, scope: 'openid email', code_challenge_method: 'S256', code_challenge: challenge });
  location.assign(`${config.domain}/oauth2/authorize?${params.toString()}`);
  return new Promise<string>(() => undefined);
}

async function exchangeCode(config: SignInConfig, code: string, redirectUri: string): Promise<string> {
  const verifier = sessionStorage.getItem(VERIFIER) ?? '';
  const response = await fetch(`${config.domain}/oauth2/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'authorization_code', client_id: config.clientId, code, redirect_uri: redirectUri, code_verifier: verifier }).toString(),
  });
  if (!response.ok) throw new Error(`sign-in failed: the sign-in service refused the code (${response.status}); reload the page to sign in again`);
  return ((await response.json()) as { id_token: string }).id_token;
}

/** A JWT's `exp`, in milliseconds; 0 when it cannot be read. */
function expiresAt(jwt: string): number {
  try {
    const payload = JSON.parse(atob((jwt.split('.')[1] ?? '').replace(/-/g, '+').replace(/_/g, '/'))) as { exp?: number };
    return (payload.exp ?? 0) * 1000;
  } catch {
    return 0;
  }
}

const base64url = (bytes: Uint8Array): string => btoa(String.fromCharCode(...bytes)).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
