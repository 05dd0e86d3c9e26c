/**
 * The catalog API through its whole middy chain on an in-memory store (fast), the OpenAPI document,
 * the trust formula, and the catalog records built from the example mesh.
 */
import Ajv2020 from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { errorSchema, productDetailSchema, qualityHistorySchema, searchResponseSchema, versionDetailSchema, versionListSchema, type ProductDetail, type SearchResponse } from '../../lib/catalog/api-schema.js';
import { CursorError, decodeCursor, encodeCursor } from '../../lib/catalog/cursor.js';
import { buildOpenApiDocument, CATALOG_ROUTES } from '../../lib/catalog/openapi.js';
import { ACCESS_ROUTES } from '../../lib/access/requests/api-schema.js';
import { accessFor, decodeDocument, encodeDocument, freshnessOf, productPageOf, searchDocumentOf } from '../../lib/catalog/records.js';
import { documentOf } from '../../lib/catalog/search.js';
import { computeTrust, type TrustRun } from '../../lib/catalog/trust.js';
import { databaseNameFor } from '../../lib/glue/names.js';
import type { Mesh } from '../../lib/mesh/load.js';
import { apiEventOf, LocalCatalog, localContext, MemoryCatalogStore } from '../../lambdas/catalog/local.js';
import { SearchCache } from '../../lambdas/catalog/search-cache.js';
import { logger } from '../../lambdas/shared/powertools.js';
import { contractText, exampleMesh, orderLinesVersions, qualityDetail } from '../support/catalog.js';

// Set before the shared logger is created: the Lambda middleware resets its level on every call.
vi.hoisted(() => {
  process.env.POWERTOOLS_LOG_LEVEL = 'SILENT';
  process.env.POWERTOOLS_METRICS_DISABLED = 'true';
});

let mesh: Mesh;
let catalog: LocalCatalog;

beforeAll(async () => {
  mesh = await exampleMesh();
  catalog = new LocalCatalog({ store: new MemoryCatalogStore(), mesh: mesh.config.name });
  await catalog.seedMeshConfig(mesh.config);
  const published = await catalog.publish(mesh.products.map((p) => ({ text: p.contract.source.text, domain: p.domain })));
  expect(published.batchItemFailures).toEqual([]);
  const versions = orderLinesVersions(contractText(mesh, 'order-lines'));
  await catalog.publish([{ text: versions['1.1.0'] }, { text: versions['2.0.0'] }]);
  for (let i = 1; i <= 3; i++) await catalog.publishQuality(qualityDetail('orders', { runId: `run-${i}`, at: `2026-11-2${i}T08:00:00.000Z` }));
});

const get = <T = unknown>(path: string, method = 'GET') => catalog.get<T>(path, method);

describe('catalog API: bad requests get a 4xx saying what and where', () => {
  const long = 'a'.repeat(201);
  const cases: [what: string, path: string, status: number, error: string, message: RegExp, method?: string][] = [
    ['unknown route', '/nope', 404, 'UnknownRoute', /no route matches "\/nope".*GET \/products/],
    ['unknown sub-resource', '/products/orders/owners', 404, 'UnknownRoute', /\/products\/orders\/owners/],
    ['empty path segment', '/products//versions', 404, 'UnknownRoute', /no route matches/],
    ['too many segments', '/products/orders/versions/1.0.0/extra', 404, 'UnknownRoute', /no route matches/],
    ['wrong method on search', '/products', 405, 'MethodNotAllowed', /POST \/products: .*use GET/, 'POST'],
    ['wrong method on a product', '/products/orders', 405, 'MethodNotAllowed', /DELETE/, 'DELETE'],
    ['limit 0', '/products?limit=0', 400, 'InvalidParameter', /'limit' "0": must be a whole number from 1 to 100/],
    ['limit 101', '/products?limit=101', 400, 'InvalidParameter', /'limit' "101": must be a whole number from 1 to 100/],
    ['limit abc', '/products?limit=abc', 400, 'InvalidParameter', /'limit' "abc"/],
    ['limit 1.5', '/products?limit=1.5', 400, 'InvalidParameter', /'limit' "1.5"/],
    ['limit empty', '/products?limit=', 400, 'InvalidParameter', /'limit' ""/],
    ['limit negative on versions', '/products/orders/versions?limit=-1', 400, 'InvalidParameter', /'limit' "-1"/],
    ['cursor not a cursor', '/products?cursor=hello', 400, 'InvalidCursor', /'cursor' is not a cursor this API issued/],
    ['cursor with a forged tag', '/products?cursor=eyJ2IjoxLCJvIjoyfQ.AAAAAAAAAAAAAAAAAAAAAA', 400, 'InvalidCursor', /'cursor' was altered or belongs to another query/],
    ['unknown filter parameter', '/products?colour=red', 400, 'UnknownParameter', /unknown query parameter 'colour' for GET \/products; it takes q, domain, tag, classification, owner, limit, cursor/],
    ['misspelt parameter', '/products?domian=orders', 400, 'UnknownParameter', /'domian'/],
    ['parameter on a route without any', '/products/orders?limit=5', 400, 'UnknownParameter', /it takes no query parameters/],
    ['parameter on the OpenAPI route', '/openapi.json?format=yaml', 400, 'UnknownParameter', /'format'/],
    ['empty q', '/products?q=', 400, 'InvalidParameter', /'q' "": must not be empty/],
    ['blank q', '/products?q=%20%20%20', 400, 'InvalidParameter', /'q' " {3}": must not be empty/],
    ['q without words', '/products?q=%21%21%21', 400, 'InvalidParameter', /'q' "!!!": has no letters or digits/],
    ['q too long', `/products?q=${long}`, 400, 'InvalidParameter', /'q' "a{64}…": must be at most 200 characters/],
    ['bad domain filter', '/products?domain=Orders', 400, 'InvalidParameter', /'domain' "Orders": must be a domain name/],
    ['bad classification filter', '/products?classification=Top%20Secret', 400, 'InvalidParameter', /'classification' "Top Secret"/],
    ['empty tag filter', '/products?tag=', 400, 'InvalidParameter', /'tag' "": must not be empty/],
    ['repeated q', '/products?q=orders&q=stock', 400, 'RepeatedParameter', /'q' is given 2 times/],
    ['repeated limit', '/products/orders/versions?limit=1&limit=2', 400, 'RepeatedParameter', /'limit' is given 2 times/],
    ['bad product id characters', '/products/orders$%3B', 400, 'InvalidPath', /path segment \{id\} "orders\$;": a product id is/],
    ['product id too long', `/products/${'p'.repeat(129)}`, 400, 'InvalidPath', /path segment \{id\}/],
    ['unknown product', '/products/returns', 404, 'ProductNotFound', /product 'returns' is not in the catalog/],
    ['unknown product versions', '/products/returns/versions', 404, 'ProductNotFound', /'returns'/],
    ['unknown product quality', '/products/returns/quality', 404, 'ProductNotFound', /'returns'/],
    ['unknown version', '/products/orders/versions/9.9.9', 404, 'VersionNotFound', /product 'orders' has no version 9\.9\.9/],
    ['version of an unknown product', '/products/returns/versions/1.0.0', 404, 'ProductNotFound', /'returns'/],
    ['bad semver', '/products/orders/versions/1.0', 400, 'InvalidPath', /path segment \{version\} "1\.0": must be a semantic version/],
    ['semver with a v', '/products/orders/versions/v1.0.0', 400, 'InvalidPath', /\{version\} "v1\.0\.0"/],
  ];

  it.each(cases)('%s: %s → %i %s', async (_what, path, status, error, message, method = 'GET') => {
    const response = await get<{ error: string; message: string }>(path, method);
    expect(response.status).toBe(status);
    expect(errorSchema.strict().parse(response.body)).toEqual({ error, message: expect.stringMatching(message) as string });
  });

  it('refuses a request body on a GET', async () => {
    const response = await catalog.apiHandler({ ...apiEventOf('/products'), body: '{"q":"orders"}' }, localContext());
    expect(response.statusCode).toBe(400);
    expect(JSON.parse(response.body)).toEqual({ error: 'BodyNotAllowed', message: 'GET /products takes no request body' });
  });

  it('answers 405 with an Allow header', async () => {
    const response = await catalog.apiHandler(apiEventOf('/products', 'PUT'), localContext());
    expect(response.headers).toMatchObject({ allow: 'GET', 'content-type': 'application/json; charset=utf-8' });
  });

  it('refuses a cursor that was altered, or issued for another query or route', async () => {
    const first = await get<SearchResponse>('/products?limit=2');
    const cursor = first.body.next!;
    expect(cursor).toEqual(expect.any(String));
    const [payload, tag] = cursor.split('.') as [string, string];
    const altered = `${Buffer.from(JSON.stringify({ v: 1, o: 0 })).toString('base64url')}.${tag}`;
    for (const path of [`/products?limit=2&cursor=${altered}`, `/products?limit=2&cursor=${payload}.${tag.slice(0, -2)}xx`, `/products?q=orders&limit=2&cursor=${cursor}`, `/products/orders/versions?cursor=${cursor}`]) {
      const response = await get<{ error: string }>(path);
      expect(response.status, path).toBe(400);
      expect(response.body.error, path).toBe('InvalidCursor');
    }
    // The untouched cursor works, with another page size too.
    expect((await get(`/products?limit=3&cursor=${cursor}`)).status).toBe(200);
  });

  it('answers an unexpected failure with a 500 that discloses nothing, and logs the details', async () => {
    const store = new MemoryCatalogStore();
    store.getSummary = () => Promise.reject(new Error('connect ECONNREFUSED 10.0.0.7:8000 table tessera-secret-table'));
    const broken = new LocalCatalog({ store, mesh: 'ecommerce' });
    const errors = vi.spyOn(logger, 'error');
    const response = await broken.get<{ error: string; message: string }>('/products/orders');
    expect(response.status).toBe(500);
    expect(response.body.error).toBe('InternalError');
    expect(response.body.message).toMatch(/^the catalog could not answer; try again later/);
    expect(JSON.stringify(response.body)).not.toMatch(/ECONNREFUSED|10\.0\.0\.7|secret|Error:|at /);
    const logged = errors.mock.calls.map(([, details]) => ((details as { error?: Error } | undefined)?.error?.message ?? '')).join('\n');
    expect(logged).toContain('ECONNREFUSED');
    errors.mockRestore();
  });
});

describe('catalog API: answers', () => {
  it('searches with typo tolerance, filters and pagination', async () => {
    const typo = await get<SearchResponse>('/products?q=shipmnts');
    expect(typo.status).toBe(200);
    expect(searchResponseSchema.parse(typo.body).items[0]!.id).toBe('shipments');

    const all = await get<SearchResponse>('/products');
    expect(all.body.items.map((i) => i.id)).toEqual(['customer-profiles', 'order-lines', 'orders', 'shipments', 'stock-levels']);
    expect((await get<SearchResponse>('/products?domain=orders')).body.items.map((i) => i.id)).toEqual(['order-lines', 'orders']);
    expect((await get<SearchResponse>('/products?classification=restricted')).body.items.map((i) => i.id)).toEqual(['customer-profiles']);

    const seen: string[] = [];
    let path = '/products?limit=2';
    for (let pages = 0; pages < 5; pages++) {
      const page = await get<SearchResponse>(path);
      expect(page.body.items.length).toBeLessThanOrEqual(2);
      seen.push(...page.body.items.map((i) => i.id));
      if (!page.body.next) break;
      path = `/products?limit=2&cursor=${encodeURIComponent(page.body.next)}`;
    }
    expect(seen).toEqual(all.body.items.map((i) => i.id));
  });

  it('shows the latest version with its page, and lists versions newest first with their diffs', async () => {
    const detail = await get<ProductDetail>('/products/order-lines');
    expect(productDetailSchema.parse(detail.body)).toMatchObject({ id: 'order-lines', version: '2.0.0' });
    const versions = await get('/products/order-lines/versions');
    expect(versionListSchema.parse(versions.body).items.map((v) => [v.version, v.previousVersion, v.breaking])).toEqual([
      ['2.0.0', '1.1.0', true],
      ['1.1.0', '1.0.0', false],
      ['1.0.0', null, null],
    ]);
    const v2 = versionDetailSchema.parse((await get('/products/order-lines/versions/2.0.0')).body);
    expect(v2.diff!.changes.map((c) => c.rule)).toContain('classification-lowered');
    const quality = qualityHistorySchema.parse((await get('/products/orders/quality?limit=2')).body);
    expect(quality.items.map((r) => r.runId)).toEqual(['run-3', 'run-2']);
    expect(quality.next).not.toBeNull();
  });
});

describe('OpenAPI document', () => {
  const doc = buildOpenApiDocument() as { openapi: string; paths: Record<string, { get: { parameters: { name: string; in: string }[]; responses: Record<string, unknown> } }>; components: { schemas: Record<string, object> } };

  it('describes every route the handler serves, with its parameters', () => {
    expect(doc.openapi).toBe('3.1.0');
    expect(Object.keys(doc.paths).sort()).toEqual([...new Set([...CATALOG_ROUTES, ...ACCESS_ROUTES].map((r) => r.path))].sort());
    expect(doc.paths['/products']!.get.parameters.map((p) => p.name)).toEqual(['q', 'domain', 'tag', 'classification', 'owner', 'limit', 'cursor']);
    expect(doc.paths['/products/{id}/versions/{version}']!.get.parameters.filter((p) => p.in === 'path').map((p) => p.name)).toEqual(['id', 'version']);
    expect(doc.paths['/products/{id}']!.get.responses).toHaveProperty('404');
  });

  it('has only references that resolve, and schemas that compile', () => {
    const refs = [...JSON.stringify(doc).matchAll(/"\$ref":"([^"]+)"/g)].map((m) => m[1]!);
    expect(refs.length).toBeGreaterThan(10);
    for (const ref of refs) {
      expect(ref).toMatch(/^#\/components\/schemas\//);
      expect(doc.components.schemas, ref).toHaveProperty(ref.split('/').pop()!);
    }
    const ajv = new Ajv2020.default({ strict: false });
    addFormats.default(ajv);
    // Compiling resolves every reference; a dangling one throws.
    for (const schema of Object.values(doc.components.schemas)) expect(typeof ajv.compile({ ...schema, components: doc.components })).toBe('function');
  });

  it('matches what the API returns', async () => {
    const ajv = new Ajv2020.default({ strict: false });
    addFormats.default(ajv);
    const components = doc.components.schemas;
    const validate = (name: string, value: unknown) => {
      // The document's references point into components, so the schema carries them along.
      const check = ajv.compile({ ...components[name], components: { schemas: components } });
      expect(check(value), `${name}: ${JSON.stringify(check.errors)}`).toBe(true);
    };
    validate('SearchResponse', (await get('/products?q=orders')).body);
    validate('ProductDetail', (await get('/products/customer-profiles')).body);
    validate('VersionList', (await get('/products/order-lines/versions')).body);
    validate('VersionDetail', (await get('/products/order-lines/versions/1.1.0')).body);
    validate('QualityHistory', (await get('/products/orders/quality')).body);
    validate('Error', (await get('/products/nope')).body);
    expect((await get('/openapi.json')).body).toEqual(doc);
  });
});

describe('trust signal', () => {
  const run = (at: string, passed: number, failed = 0, errors = 0, failing: string[] = [], failedErrorSeverity = 0): TrustRun => ({
    at,
    summary: { passed, failed, errors, failedErrorSeverity },
    failing: failing.map((id) => ({ id })),
  });
  const day = (d: number) => `2026-11-${String(d).padStart(2, '0')}T06:00:00.000Z`;
  const SLA = ['t.c.latency'];

  it('is unknown without runs, or with runs that checked nothing', () => {
    expect(computeTrust([], SLA)).toMatchObject({ score: null, label: 'unknown', runs: 0 });
    expect(computeTrust([run(day(1), 0)], SLA)).toMatchObject({ score: null, label: 'unknown' });
  });

  it('is 100 and high when every check and SLA passed', () => {
    expect(computeTrust([run(day(1), 12), run(day(2), 12)], SLA)).toMatchObject({ score: 100, label: 'high', passRate: 1, slaAttainment: 1, runs: 2 });
  });

  it('weighs the pass rate 0.7 and SLA attainment 0.3', () => {
    // 9 of 10 checks pass in each run, SLA met: 0.7 × 0.9 + 0.3 × 1 = 0.93
    expect(computeTrust([run(day(1), 9, 1, 0, ['other'])], SLA)).toMatchObject({ score: 93, label: 'high' });
    // all checks pass but the latency SLA failed in 1 of 2 runs: 0.7 × (1 + 0.9)/2 + 0.3 × 0.5 = 0.815
    expect(computeTrust([run(day(1), 10), run(day(2), 9, 1, 0, ['t.c.latency'])], SLA)).toMatchObject({ score: 82, label: 'medium', slaAttainment: 0.5 });
  });

  it('counts checks that could not be measured as not passed', () => {
    expect(computeTrust([run(day(1), 5, 0, 5, ['x'])], [])).toMatchObject({ score: 50, label: 'low', slaAttainment: null });
  });

  it('uses the pass rate alone without SLA checks', () => {
    expect(computeTrust([run(day(1), 3, 1, 0, ['x'])], [])).toMatchObject({ score: 75, label: 'medium', slaAttainment: null });
  });

  it('never labels a product high while its latest run has an error-severity failure', () => {
    const history = Array.from({ length: 9 }, (_, i) => run(day(i + 1), 100));
    const trust = computeTrust([...history, run(day(20), 99, 1, 0, ['x'], 1)], SLA);
    expect(trust.score).toBe(89);
    expect(trust.label).toBe('medium');
    expect(trust.explanation).toMatch(/failed error-severity/);
    // The same failure in an older run does not cap.
    expect(computeTrust([run(day(1), 99, 1, 0, ['x'], 1), ...history.map((r, i) => ({ ...r, at: day(i + 2) }))], SLA).label).toBe('high');
  });

  it('looks at the 10 newest runs only, whatever order they come in', () => {
    const bad = Array.from({ length: 5 }, (_, i) => run(day(i + 1), 0, 10, 0, ['x', 't.c.latency']));
    const good = Array.from({ length: 10 }, (_, i) => run(day(i + 10), 10));
    const trust = computeTrust([...good.slice(5), ...bad, ...good.slice(0, 5)], SLA);
    expect(trust).toMatchObject({ score: 100, runs: 10 });
  });
});

describe('catalog records from the example mesh', () => {
  it('names every table as Athena sees it and gives a bounded sample query', () => {
    for (const { contract, domain } of mesh.products) {
      const page = productPageOf(contract, { classifications: mesh.config.classifications });
      expect(page.database).toBe(databaseNameFor(domain));
      for (const [i, table] of page.tables.entries()) {
        expect(table.athenaTable).toBe(`${databaseNameFor(domain)}.${contract.tables[i]!.physicalName}`);
        expect(table.sampleQuery).toMatch(new RegExp(`^SELECT \\* FROM "${page.database}"\\."${contract.tables[i]!.physicalName}".* LIMIT 10$`));
        expect(table.columns.every((c) => c.classification !== undefined && c.type !== undefined)).toBe(true);
      }
    }
    const orderLines = productPageOf(mesh.products.find((p) => p.contract.id === 'order-lines')!.contract);
    expect(orderLines.tables[0]!.sampleQuery).toBe(`SELECT * FROM "orders"."order_lines" WHERE "order_date" >= date_add('day', -7, current_date) LIMIT 10`);
    expect(orderLines.tables[0]!.columns.find((c) => c.name === 'unit_price')).toMatchObject({ type: 'decimal(10,2)', classification: 'internal', required: true });
    expect(orderLines.slaChecks.map((c) => c.id).sort()).toEqual(['order_lines.order_date.latency', 'order_lines.order_date.retention']);
    expect(orderLines.owners).toEqual([{ username: 'lena.schmidt', name: 'Lena Schmidt', role: 'Owner' }]);
    expect(orderLines.support.map((s) => s.tool)).toEqual(['slack', 'email']);
    expect(orderLines.slas.find((s) => s.property === 'latency')).toMatchObject({ value: 2, unit: 'd', elements: ['order_lines.order_date'] });
  });

  it('marks each table with its most sensitive classification', () => {
    const profiles = productPageOf(mesh.products.find((p) => p.contract.id === 'customer-profiles')!.contract);
    expect(profiles.tables.map((t) => t.classification)).toContain('restricted');
  });

  it('explains who can read what, and says so when it cannot', () => {
    const profiles = productPageOf(mesh.products.find((p) => p.contract.id === 'customer-profiles')!.contract);
    const access = accessFor(profiles, mesh.config);
    if (!access.available) throw new Error('expected access');
    const byName = new Map(access.consumers.map((c) => [c.name, c]));
    const service = byName.get('customer-service')!.tables[0]!;
    expect(service.readableColumns).toHaveLength(service.totalColumns);
    const analysts = byName.get('analysts')!.tables[0]!;
    const sensitive = profiles.tables[0]!.columns.filter((c) => c.classification === 'confidential' || c.classification === 'restricted').map((c) => c.physicalName);
    expect(sensitive.length).toBeGreaterThan(0);
    expect(analysts.readableColumns.some((c) => sensitive.includes(c))).toBe(false);
    expect(byName.get('supply-chain')!.tables).toEqual([]);
    expect(access.howTo).toMatch(/analysts, customer-service/);
    expect(access.howTo).toContain('tessera access request customer-profiles --reason <why> --duration 30d');
    expect(accessFor(profiles, undefined)).toEqual({ available: false, reason: expect.stringMatching(/access information is unavailable/) as string });
  });

  it('reports freshness from the latency check of the newest run', () => {
    const page = productPageOf(mesh.products.find((p) => p.contract.id === 'shipments')!.contract);
    const base = { runId: 'r', version: '1.0.0', at: '2026-11-25T08:00:00.000Z', summary: { passed: 9, failed: 1, errors: 0, failedErrorSeverity: 1 }, slaMet: false };
    expect(freshnessOf(page, null).status).toBe('unknown');
    expect(freshnessOf(page, { ...base, failing: [] })).toMatchObject({ status: 'met', latency: '2 d', checkedAt: base.at });
    const missed = freshnessOf(page, { ...base, failing: [{ id: 'shipments.ship_date.latency', name: 'latency: newest ship_date at most 2 d old', status: 'fail', severity: 'error', actual: '5 d old', expected: 'at most 2 d' }] });
    expect(missed).toMatchObject({ status: 'missed', detail: expect.stringMatching(/5 d old \(expected at most 2 d\)/) as string });
  });

  it('stores search documents compactly and reads them back unchanged', () => {
    for (const { contract } of mesh.products) {
      const doc = searchDocumentOf(contract);
      const encoded = encodeDocument(doc);
      expect(JSON.parse(JSON.stringify(decodeDocument(encoded)))).toEqual(JSON.parse(JSON.stringify(documentOf(contract))));
      expect(encoded.length).toBeLessThan(JSON.stringify(doc).length);
    }
  });
});

describe('pagination cursors', () => {
  it('round-trip, and refuse another binding or key', () => {
    const cursor = encodeCursor({ k: 'VERSION#1' }, 'versions\norders', 'key');
    expect(decodeCursor(cursor, 'versions\norders', 'key')).toEqual({ k: 'VERSION#1' });
    expect(() => decodeCursor(cursor, 'versions\nshipments', 'key')).toThrow(CursorError);
    expect(() => decodeCursor(cursor, 'versions\norders', 'other key')).toThrow(CursorError);
  });
});

describe('the warm search index', () => {
  it('is built once, then refreshed after maxAge from the summaries changed since the last load only', async () => {
    const store = new MemoryCatalogStore();
    const source = new LocalCatalog({ store, mesh: mesh.config.name });
    await source.publish(mesh.products.map((p) => ({ text: p.contract.source.text, domain: p.domain })));
    // Ten minutes after the publications, so their changedAt is well before the first load.
    let clock = Date.now() + 600_000;
    const cache = new SearchCache(store, { maxAgeMs: 30_000, now: () => clock });
    await cache.get();
    expect(cache.lastLoad).toMatchObject({ kind: 'full', read: 5, changed: 5 });
    clock += 10_000;
    const before = store.calls.get('changedSummaries');
    await cache.get();
    expect(store.calls.get('changedSummaries')).toBe(before); // younger than maxAge: no read at all

    const orders = (await store.getSummary('orders'))!;
    await store.putSummary({ ...orders, revision: orders.revision + 1, changedAt: new Date(clock).toISOString(), summary: { ...orders.summary, name: 'Orders renamed' } });
    clock += 30_000;
    const { index, summaries } = await cache.get();
    expect(cache.lastLoad).toMatchObject({ kind: 'incremental', read: 1, changed: 1 });
    expect(summaries.get('orders')!.name).toBe('Orders renamed');
    expect(index.size).toBe(5);

    // The overlap reads the change back once more (and keeps what it has), then never again.
    clock += 120_000;
    await cache.get();
    expect(cache.lastLoad).toMatchObject({ kind: 'incremental', read: 1, changed: 0 });
    clock += 120_000;
    await cache.get();
    expect(cache.lastLoad).toMatchObject({ kind: 'incremental', read: 0, changed: 0 });
  });
});
