/**
 * The deployed catalog API as the CLI reaches it: its endpoint from the governance stack's
 * `CatalogApiUrl` output, and requests signed with SigV4 (`execute-api`) with the default credential
 * chain, so the API knows the caller from the signature. Used by `tessera catalog` and `tessera access`.
 */
import { Sha256 } from '@aws-crypto/sha256-js';
import { CloudFormationClient, DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import { defaultProvider } from '@aws-sdk/credential-provider-node';
import { SignatureV4 } from '@smithy/signature-v4';
import type { Mesh } from '../../lib/mesh/load.js';

/** The API cannot be reached or asked (no stack output, no credentials, no answer): exit 1 with the message. */
export class CatalogUnreachable extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CatalogUnreachable';
  }
}

export type ApiCall = (method: 'GET' | 'POST', path: string, body?: unknown) => Promise<{ status: number; body: unknown }>;

export async function stackEndpoint(mesh: Mesh, region: string | undefined): Promise<string | undefined> {
  const stackName = `tessera-${mesh.config.name}-governance`;
  const client = new CloudFormationClient({ region: region ?? mesh.config.region });
  try {
    const { Stacks } = await client.send(new DescribeStacksCommand({ StackName: stackName }));
    return Stacks?.[0]?.Outputs?.find((o) => o.OutputKey === 'CatalogApiUrl')?.OutputValue;
  } catch (e) {
    throw new CatalogUnreachable(`could not read the CatalogApiUrl output of stack ${stackName} (${(e as Error).message}); pass --endpoint, or use --local`);
  }
}

/** GET and POST (JSON) under `base`, signed for API Gateway; the answer's status and JSON body. */
export function signedApiCall(base: URL, region: string): ApiCall {
  const signer = new SignatureV4({ service: 'execute-api', region, credentials: defaultProvider(), sha256: Sha256 });
  return async (method, path, body) => {
    const url = new URL(path.replace(/^\//, ''), base);
    const query: Record<string, string> = {};
    for (const [k, v] of url.searchParams) query[k] = v;
    const text = body === undefined ? undefined : JSON.stringify(body);
    const headers: Record<string, string> = { host: url.host, accept: 'application/json', ...(text !== undefined ? { 'content-type': 'application/json' } : {}) };
    let signed;
    try {
      signed = await signer.sign({ method, protocol: url.protocol, hostname: url.hostname, port: url.port === '' ? undefined : Number(url.port), path: url.pathname, query, headers, body: text });
    } catch (e) {
      throw new CatalogUnreachable(`no AWS credentials to sign the request with (${(e as Error).message}); configure a profile, or use --local`);
    }
    let response: Response;
    try {
      response = await fetch(url, { method, headers: signed.headers, body: text });
    } catch (e) {
      throw new CatalogUnreachable(`the catalog at ${base.origin} did not answer: ${(e as Error).cause instanceof Error ? ((e as Error).cause as Error).message : (e as Error).message}`);
    }
    const answer = await response.text();
    try {
      return { status: response.status, body: JSON.parse(answer) as unknown };
    } catch {
      return { status: response.status, body: { error: 'InternalError', message: `the endpoint answered ${response.status} with something that is not JSON: ${answer.slice(0, 200)}` } };
    }
  };
}
