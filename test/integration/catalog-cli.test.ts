/**
 * `tessera catalog search|show`: remotely, against an HTTP server that hands each request to the real
 * catalog API handler (as API Gateway would), with the endpoint from --endpoint or found in the
 * governance stack's outputs (moto's CloudFormation); and locally (--local), where the mesh is
 * published into a catalog on a local moto server.
 */
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Sha256 } from '@aws-crypto/sha256-js';
import { CloudFormationClient, CreateStackCommand } from '@aws-sdk/client-cloudformation';
import { SignatureV4 } from '@smithy/signature-v4';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { apiEventOf, LocalCatalog, localContext, MemoryCatalogStore } from '../../lambdas/catalog/local.js';
import { loadMeshFile } from '../../lib/mesh/load.js';
import { runTessera } from '../support/cli.js';
import { motoEnvironment, startMoto, TEST_CREDENTIALS, TEST_REGION, type Moto } from '../support/moto.js';
import { root } from '../unit/constructs/helpers.js';

// The CLI quiets the handlers' logs in bin/local/handler-logs.ts, which this in-process run skips.
vi.hoisted(() => {
  process.env.POWERTOOLS_LOG_LEVEL = 'WARN';
  process.env.POWERTOOLS_METRICS_DISABLED = 'true';
});

let server: Server;
let endpoint: string;
let moto: Moto;
const seen: { url: string; headers: IncomingHttpHeaders; signatureValid: Promise<boolean> }[] = [];

/**
 * What API Gateway does with an IAM-authorized request: decode the query string as sent, then
 * recompute the SigV4 signature over the canonical request and compare. A client that signs one
 * thing and sends another (a space as + instead of %20) fails here as it would on AWS.
 */
async function verifySignature(method: string, rawUrl: string, headers: IncomingHttpHeaders): Promise<boolean> {
  const authorization = String(headers.authorization ?? '');
  const signedHeaders = /SignedHeaders=([^,]+)/.exec(authorization)?.[1]?.split(';') ?? [];
  const date = String(headers['x-amz-date'] ?? '');
  const [path, rawQuery = ''] = rawUrl.split('?') as [string, string?];
  const query: Record<string, string> = {};
  for (const pair of rawQuery.split('&').filter(Boolean)) {
    const [k, v = ''] = pair.split('=') as [string, string?];
    query[decodeURIComponent(k)] = decodeURIComponent(v);
  }
  const signer = new SignatureV4({ service: 'execute-api', region: TEST_REGION, credentials: TEST_CREDENTIALS, sha256: Sha256 });
  const host = String(headers.host ?? '');
  const signed = await signer.sign(
    { method, protocol: 'http:', hostname: host.split(':')[0]!, port: Number(host.split(':')[1]), path, query, headers: Object.fromEntries(signedHeaders.map((h) => [h, String(headers[h] ?? '')])) },
    { signingDate: new Date(`${date.slice(0, 4)}-${date.slice(4, 6)}-${date.slice(6, 8)}T${date.slice(9, 11)}:${date.slice(11, 13)}:${date.slice(13, 15)}Z`) },
  );
  return signed.headers.authorization === authorization;
}
const saved = { ...process.env };

beforeAll(async () => {
  const mesh = (await loadMeshFile(`${root}/mesh/mesh.yaml`)).mesh!;
  const catalog = new LocalCatalog({ store: new MemoryCatalogStore(), mesh: mesh.config.name });
  await catalog.seedMeshConfig(mesh.config);
  await catalog.publish(mesh.products.map((p) => ({ text: p.contract.source.text, domain: p.domain })));
  server = createServer((req, res) => {
    seen.push({ url: req.url ?? '', headers: req.headers, signatureValid: verifySignature(req.method ?? 'GET', req.url ?? '/', req.headers) });
    // API Gateway's stage prefix (/v1) is not part of the resource path the handler sees.
    const path = (req.url ?? '/').replace(/^\/v1/, '');
    catalog.apiHandler(apiEventOf(path, req.method), localContext()).then(
      (r) => res.writeHead(r.statusCode, { 'content-type': 'application/json' }).end(r.body),
      () => res.writeHead(500).end('{}'),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1/`;
  moto = await startMoto();
  Object.assign(process.env, motoEnvironment(moto));
});

afterAll(async () => {
  process.env = saved;
  server?.close();
  await moto?.stop();
});

describe('tessera catalog against a deployed API', () => {
  it('searches with SigV4-signed requests and prints a ranked table', async () => {
    const { code, out, err } = await runTessera(root, 'catalog', 'search', 'shipmnts', '--endpoint', endpoint, '--region', TEST_REGION);
    expect(err).toBe('');
    expect(code).toBe(0);
    expect(out.split('\n')[2]).toMatch(/^shipments\s+shipping\s+1\.0\.0\s+unknown/);
    const request = seen.at(-1)!;
    expect(request.url).toBe('/v1/products?q=shipmnts');
    expect(request.headers.authorization).toMatch(new RegExp(`^AWS4-HMAC-SHA256 Credential=test/\\d{8}/${TEST_REGION}/execute-api/aws4_request, SignedHeaders=[^,]*host[^,]*, Signature=[0-9a-f]{64}$`));
    expect(request.headers['x-amz-date']).toMatch(/^\d{8}T\d{6}Z$/);
    expect(await request.signatureValid).toBe(true);
  });

  it('signs exactly what it sends, spaces and reserved characters in the query included', async () => {
    const { code } = await runTessera(root, 'catalog', 'search', "order lines (it's *", '--owner', 'orders-data-team', '--endpoint', endpoint);
    expect(code).toBe(0);
    const request = seen.at(-1)!;
    expect(request.url).toBe("/v1/products?q=order%20lines%20%28it%27s%20%2A&owner=orders-data-team");
    expect(await request.signatureValid).toBe(true);
  });

  it('passes filters and pages, and prints JSON', async () => {
    const { code, out } = await runTessera(root, 'catalog', 'search', '--domain', 'orders', '--limit', '1', '--json', '--endpoint', endpoint);
    expect(code).toBe(0);
    const page = JSON.parse(out) as { items: { id: string; domain: string }[]; next: string | null };
    expect(page.items).toHaveLength(1);
    expect(page.items[0]!.domain).toBe('orders');
    expect(page.next).not.toBeNull();
    const second = await runTessera(root, 'catalog', 'search', '--domain', 'orders', '--limit', '1', '--cursor', page.next!, '--json', '--endpoint', endpoint);
    const next = JSON.parse(second.out) as { items: { id: string }[]; next: string | null };
    expect(next.items.map((i) => i.id)).not.toContain(page.items[0]!.id);
    expect(next.next).toBeNull();
  });

  it('shows a product page: schema, classifications, access, the table to query, versions', async () => {
    const { code, out } = await runTessera(root, 'catalog', 'show', 'stock-levels', '--endpoint', endpoint);
    expect(code).toBe(0);
    expect(out).toMatch(/^Stock levels \(stock-levels\) 1\.0\.0 — domain inventory/);
    expect(out).toMatch(/unit_cost\s+decimal\(10,2\)\s+confidential/);
    expect(out).toContain('Table inventory.stock_levels (confidential)');
    expect(out).toContain('Try: SELECT * FROM "inventory"."stock_levels"');
    expect(out).toMatch(/analysts: stock_levels 7 of 8 columns/);
    expect(out).toMatch(/supply-chain: stock_levels all columns/);
    expect(out).not.toMatch(/customer-service:/);
    expect(out).toMatch(/Versions:\n {2}1\.0\.0 {2}published .* \(first\)/);
  });

  it('reports what the API refused, with its reason, and exits 1', async () => {
    const missing = await runTessera(root, 'catalog', 'show', 'no-such-product', '--endpoint', endpoint);
    expect(missing.code).toBe(1);
    expect(missing.err).toMatch(/^error: the catalog answered 404 ProductNotFound: .*no-such-product/);
    // A limit out of range is refused by the CLI before any request (exit 2, a usage error).
    const bad = await runTessera(root, 'catalog', 'search', 'x', '--limit', '500', '--endpoint', endpoint);
    expect(bad.code).toBe(2);
    expect(bad.err).toMatch(/--limit.*500/);
  });

  it('finds the endpoint in the governance stack’s CatalogApiUrl output', async () => {
    const cloudformation = new CloudFormationClient({ region: TEST_REGION, credentials: TEST_CREDENTIALS, endpoint: moto.endpoint });
    await cloudformation.send(
      new CreateStackCommand({
        StackName: 'tessera-ecommerce-governance',
        TemplateBody: JSON.stringify({ Resources: { Handle: { Type: 'AWS::CloudFormation::WaitConditionHandle' } }, Outputs: { CatalogApiUrl: { Value: endpoint } } }),
      }),
    );
    const { code, out, err } = await runTessera(root, 'catalog', 'search', 'orders');
    expect(err).toBe('');
    expect(code).toBe(0);
    expect(out).toMatch(/^orders\s+orders/m);
  });

  it('says clearly when the API cannot be reached or the endpoint is not a URL', async () => {
    const down = await runTessera(root, 'catalog', 'search', 'x', '--endpoint', 'http://127.0.0.1:9/v1/');
    expect(down.code).toBe(1);
    expect(down.err).toMatch(/^error: the catalog at http:\/\/127\.0\.0\.1:9 did not answer/);
    const bad = await runTessera(root, 'catalog', 'search', 'x', '--endpoint', 'not a url');
    expect(bad.code).toBe(2);
    expect(bad.err).toMatch(/--endpoint 'not a url' is not a URL/);
    const both = await runTessera(root, 'catalog', 'search', 'x', '--endpoint', endpoint, '--local');
    expect(both.code).toBe(2);
  });
});

describe('tessera catalog --local', () => {
  it('publishes the example mesh into a local catalog and searches it', async () => {
    const { code, out } = await runTessera(root, 'catalog', 'search', '--local', 'stok', '--data', '/nonexistent');
    expect(code).toBe(0);
    expect(out.split('\n')[2]).toMatch(/^stock-levels\s+inventory/);
  });
});
