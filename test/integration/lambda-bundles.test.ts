/**
 * The Lambda code as it deploys: every handler bundled by the package build's own step
 * (build/lambda-assets.ts: what `npm run build` writes to dist/assets and the package ships), copied
 * to a folder of its own with nothing beside it, as Lambda gets it, then loaded and called. Catches
 * what the sources' tests cannot: a dependency that does not bundle, an external module the bundle
 * still imports (Lambda does not have it), a `require` an ESM bundle cannot make, a file the code
 * reads beside itself that the asset does not carry (the ODCS schema once: ENOENT on the first
 * contract). So each handler that reads a contract is made to load and validate a real one, from
 * S3 on a local moto server.
 */
import { createHash } from 'node:crypto';
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { CreateTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { CreateEventBusCommand, EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { CreateBucketCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { bundleLambdaAssets } from '../../build/lambda-assets.js';
import { LAMBDA_ESBUILD, LAMBDA_HANDLERS } from '../../constructs/core/lambda-bundling.js';
// Event and context builders only: the handlers under test are the bundles, loaded from their files.
import { apiEventOf, createCatalogTable, eventEnvelope, localContext, sqsEventOf } from '../../lambdas/catalog/local.js';
import { motoEnvironment, startMoto, TEST_CREDENTIALS, TEST_REGION, type Moto } from '../support/moto.js';
import { root } from '../unit/constructs/helpers.js';

vi.hoisted(() => {
  process.env.POWERTOOLS_LOG_LEVEL = 'SILENT';
  process.env.POWERTOOLS_METRICS_DISABLED = 'true';
});

const HANDLERS = LAMBDA_HANDLERS;
type HandlerModule = { handler: (event: unknown, context: unknown) => Promise<unknown> };

const out = mkdtempSync(join(tmpdir(), 'tessera-bundles-'));
const bundles = new Map<string, { code: string; module: HandlerModule }>();
const saved = { ...process.env };

const CONTRACT_FILE = join(root, 'mesh/orders/order-lines.odcs.yaml');
const CONTRACT_TEXT = readFileSync(CONTRACT_FILE, 'utf8');
const BUCKET = 'orders-products';
const KEY = 'order-lines/_tessera/contract/1.0.0.odcs.yaml';
const ACCOUNT = '123456789012'; // moto's account
let moto: Moto;

beforeAll(async () => {
  moto = await startMoto();
  Object.assign(process.env, { ...motoEnvironment(moto), CATALOG_TABLE: 'catalog', MESH_NAME: 'ecommerce', RUNS_TABLE: 'runs', EVENT_BUS_NAME: 'bus', WORKGROUP: 'wg', DATABASE: 'db' });
  const built = await bundleLambdaAssets(join(out, 'built'));
  for (const [name, file] of built) {
    // Lambda gets the asset folder and nothing else: the bundle runs from a copy with no neighbours.
    const isolated = join(out, 'deployed', name.replace('/', '-'));
    mkdirSync(isolated, { recursive: true });
    for (const f of readdirSync(join(file, '..'))) copyFileSync(join(file, '..', f), join(isolated, f));
    const entry = join(isolated, 'index.mjs');
    bundles.set(name, { code: readFileSync(entry, 'utf8'), module: (await import(pathToFileURL(entry).href)) as HandlerModule });
  }
  const config = { region: TEST_REGION, credentials: TEST_CREDENTIALS, endpoint: moto.endpoint };
  const s3 = new S3Client({ ...config, forcePathStyle: true });
  await s3.send(new CreateBucketCommand({ Bucket: BUCKET, CreateBucketConfiguration: { LocationConstraint: TEST_REGION } }));
  await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: KEY, Body: CONTRACT_TEXT }));
  const dynamo = new DynamoDBClient(config);
  await createCatalogTable(dynamo, 'catalog');
  const keys = { KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' as const }, { AttributeName: 'sk', KeyType: 'RANGE' as const }], AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' as const }, { AttributeName: 'sk', AttributeType: 'S' as const }] };
  await dynamo.send(new CreateTableCommand({ TableName: 'runs', BillingMode: 'PAY_PER_REQUEST', ...keys }));
  await new EventBridgeClient(config).send(new CreateEventBusCommand({ Name: 'bus' }));
}, 180_000);

afterAll(async () => {
  process.env = saved;
  await moto?.stop();
  rmSync(out, { recursive: true, force: true });
});

const runInput = { product: 'order-lines', contractBucket: BUCKET, contractKey: KEY, database: 'orders', now: '2026-11-25T08:00:00.000Z' };


describe('Lambda bundles', () => {
  it.each(HANDLERS)('%s bundles, loads and never imports the local-engine packages', (name) => {
    const bundle = bundles.get(name)!;
    expect(typeof bundle.module.handler).toBe('function');
    for (const external of LAMBDA_ESBUILD.external) expect(bundle.code, `${name} imports ${external}`).not.toContain(external);
  });

  it('the catalog API bundle serves its OpenAPI document and refuses bad input with a 4xx', async () => {
    const api = bundles.get('catalog/api-handler')!.module;
    const doc = (await api.handler(apiEventOf('/openapi.json'), localContext())) as { statusCode: number; body: string };
    expect(doc.statusCode).toBe(200);
    expect((JSON.parse(doc.body) as { openapi: string }).openapi).toMatch(/^3\./);
    const bad = (await api.handler(apiEventOf('/products?limit=0'), localContext())) as { statusCode: number; body: string };
    expect(bad.statusCode).toBe(400);
    expect(JSON.parse(bad.body)).toMatchObject({ error: 'InvalidParameter' });
  });

  it('the access bundles take the caller from IAM only and validate the schedule input', async () => {
    Object.assign(process.env, { ACCESS_REQUESTS_TABLE: 'requests', ACCESS_AUDIT_TABLE: 'audit', EXPIRY_FUNCTION_ARN: 'arn:aws:lambda:eu-west-1:123456789012:function:expiry', SCHEDULER_ROLE_ARN: 'arn:aws:iam::123456789012:role/scheduler', OWNERS_TOPIC_ARN: 'arn:aws:sns:eu-west-1:123456789012:owners' });
    const api = bundles.get('access/api-handler')!.module;
    const body = JSON.stringify({ product: 'order-lines', classification: 'internal', reason: 'a reason long enough', duration: '1d' });
    const anonymous = (await api.handler(apiEventOf('/access-requests', 'POST', body), localContext())) as { statusCode: number; body: string };
    expect(anonymous.statusCode).toBe(403);
    expect(JSON.parse(anonymous.body)).toMatchObject({ error: 'InvalidIdentity' });
    const expiry = bundles.get('access/expiry-handler')!.module;
    await expect(expiry.handler({ requestId: 'ar-nope' }, localContext())).rejects.toThrow(/requestId/);
  });

  it('the catalog ingest bundle drops a poison message without retrying it', async () => {
    const ingest = bundles.get('catalog/ingest-handler')!.module;
    expect(await ingest.handler(sqsEventOf(['not json']), localContext())).toEqual({ batchItemFailures: [] });
  });

  it('the quality bundles validate their input and name the bad field', async () => {
    await expect(bundles.get('quality/plan-handler')!.module.handler({ product: 42 }, localContext())).rejects.toThrow(/invalid input: .*product/);
    await expect(bundles.get('quality/evaluate-handler')!.module.handler({}, localContext())).rejects.toThrow(/invalid input: /);
  });

  it('the quality plan bundle loads and validates the deployed contract and plans its checks', async () => {
    const planned = (await bundles.get('quality/plan-handler')!.module.handler(runInput, localContext())) as { version: string; statements: { sql: string }[] };
    expect(planned.version).toBe('1.0.0');
    expect(planned.statements.length).toBeGreaterThan(0);
    expect(planned.statements[0]!.sql).toContain('"orders"."order_lines"');
  });

  it('the quality evaluate bundle loads the contract and records a run whose statements all failed as unmeasured', async () => {
    const planned = (await bundles.get('quality/plan-handler')!.module.handler(runInput, localContext())) as { statements: { id: string }[] };
    const executions = planned.statements.map((s) => ({ id: s.id, error: { Error: 'Athena.Failed', Cause: 'test' } }));
    const summary = (await bundles.get('quality/evaluate-handler')!.module.handler({ ...runInput, runId: 'run-1', executions }, localContext())) as { version: string; passed: number; errors: number };
    expect(summary.version).toBe('1.0.0');
    expect(summary.passed).toBe(0);
    expect(summary.errors).toBeGreaterThan(0);
  });

  it('the catalog ingest bundle reads, validates and stores a published contract, which the API bundle then serves', async () => {
    const detail = {
      mesh: 'ecommerce',
      domain: 'orders',
      product: 'order-lines',
      version: '1.0.0',
      sha256: createHash('sha256').update(CONTRACT_TEXT, 'utf8').digest('hex'),
      location: { account: ACCOUNT, region: TEST_REGION, bucket: BUCKET, key: KEY },
    };
    const event = sqsEventOf([eventEnvelope('tessera.catalog', 'ContractPublished', detail, { account: ACCOUNT })]);
    expect(await bundles.get('catalog/ingest-handler')!.module.handler(event, localContext())).toEqual({ batchItemFailures: [] });
    const page = (await bundles.get('catalog/api-handler')!.module.handler(apiEventOf('/products/order-lines'), localContext())) as { statusCode: number; body: string };
    expect(page.statusCode).toBe(200);
    expect(JSON.parse(page.body)).toMatchObject({ id: 'order-lines', version: '1.0.0' });
  });
});
