/**
 * The deployed pages' request signatures, verified the way API Gateway verifies them: SigV4
 * recomputed here by hand from the AWS specification (node:crypto HMACs, not the signing library)
 * over the request API Gateway receives after CloudFront: the execute-api host, `/v1` + the path
 * without `/api`, the query as sent on the wire.
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/create-signed-request.html
 */
import { createHash, createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { signedHeaders, type SignInConfig } from '../../../web/src/signing.js';

const config: SignInConfig = {
  region: 'eu-west-1',
  userPoolId: 'eu-west-1_abc',
  clientId: 'client',
  identityPoolId: 'eu-west-1:pool',
  domain: 'https://ecommerce-catalog.auth.eu-west-1.amazoncognito.com',
  apiHost: 'abc123.execute-api.eu-west-1.amazonaws.com',
  apiStage: 'v1',
};
const credentials = { accessKeyId: 'ASIAEXAMPLE', secretAccessKey: 'secret/key+example', sessionToken: 'session-token', expiration: Date.now() + 3_600_000 };

const rfc3986 = (text: string): string => encodeURIComponent(text).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
const hmac = (key: Buffer | string, data: string): Buffer => createHmac('sha256', key).update(data, 'utf8').digest();
const sha256 = (data: string): string => createHash('sha256').update(data, 'utf8').digest('hex');

/** The signature API Gateway expects for a GET it received with these headers. */
function expectedSignature(received: { path: string; wireQuery: string; headers: Record<string, string> }, signedHeaderNames: string[]): string {
  const query = received.wireQuery
    .split('&')
    .filter((p) => p !== '')
    .map((p) => p.split('=').map((x) => rfc3986(decodeURIComponent(x))) as [string, string])
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([k, v]) => `${k}=${v}`)
    .join('&');
  const lower = Object.fromEntries(Object.entries(received.headers).map(([k, v]) => [k.toLowerCase(), v.trim()]));
  const canonicalHeaders = signedHeaderNames.map((h) => `${h}:${lower[h]}\n`).join('');
  const canonical = ['GET', received.path, query, canonicalHeaders, signedHeaderNames.join(';'), sha256('')].join('\n');
  const date = lower['x-amz-date']!;
  const scope = `${date.slice(0, 8)}/eu-west-1/execute-api/aws4_request`;
  const toSign = ['AWS4-HMAC-SHA256', date, scope, sha256(canonical)].join('\n');
  const key = hmac(hmac(hmac(hmac(`AWS4${credentials.secretAccessKey}`, date.slice(0, 8)), 'eu-west-1'), 'execute-api'), 'aws4_request');
  return createHmac('sha256', key).update(toSign, 'utf8').digest('hex');
}

describe('the pages sign API requests as API Gateway will check them', () => {
  it.each([
    ['products/stock-levels', '/v1/products/stock-levels', ''],
    ['products?q=order%20lines&domain=orders&limit=100', '/v1/products', 'q=order%20lines&domain=orders&limit=100'],
    ["products?q=it's%20*", '/v1/products', "q=it's%20*"],
  ])('api/%s reaches API Gateway as %s with a valid signature', async (pagePath, gatewayPath, wireQuery) => {
    const headers = await signedHeaders(pagePath, config, credentials);
    expect(headers.host).toBeUndefined();
    expect(headers['x-amz-security-token']).toBe('session-token');
    const auth = /^AWS4-HMAC-SHA256 Credential=ASIAEXAMPLE\/(\d{8})\/eu-west-1\/execute-api\/aws4_request, SignedHeaders=([a-z0-9;-]+), Signature=([0-9a-f]{64})$/.exec(headers.authorization!);
    expect(auth).not.toBeNull();
    const names = auth![2]!.split(';');
    expect(names).toContain('host');
    // What API Gateway receives: CloudFront put back the API's host and forwarded every other header.
    const received = { path: gatewayPath, wireQuery, headers: { ...headers, host: config.apiHost } };
    expect(auth![3]).toBe(expectedSignature(received, names));
    // A request signed for the site's host, not the API's, would be refused.
    expect(auth![3]).not.toBe(expectedSignature({ ...received, headers: { ...received.headers, host: 'd111.cloudfront.net' } }, names));
  });
});
