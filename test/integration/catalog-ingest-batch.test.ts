/**
 * The deployed ingest handler (module-scope clients, the whole middy chain: Powertools Parser,
 * BatchProcessor, logMetrics) against DynamoDB and S3 on moto: one SQS batch with a message that
 * must be retried among good ones, an event that is not an SQS event, and the EMF metrics it prints.
 */
import { createHash } from 'node:crypto';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { CreateBucketCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import type { SQSEvent } from 'aws-lambda';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type * as IngestHandler from '../../lambdas/catalog/ingest-handler.js';
import type * as Local from '../../lambdas/catalog/local.js';
import { QUALITY_DETAIL_TYPE, QUALITY_SOURCE, type PublicationDetail } from '../../lib/catalog/publication.js';
import type { Mesh } from '../../lib/mesh/load.js';
import { contractText, exampleMesh } from '../support/catalog.js';
import { motoEnvironment, startMoto, TEST_CREDENTIALS, TEST_REGION, type Moto } from '../support/moto.js';

vi.hoisted(() => {
  process.env.POWERTOOLS_LOG_LEVEL = 'SILENT';
  // Metrics on: this file reads what they print.
  process.env.POWERTOOLS_METRICS_DISABLED = 'false';
  delete process.env.POWERTOOLS_DEV;
  process.env.POWERTOOLS_SERVICE_NAME = 'tessera-catalog';
});

const TABLE = 'catalog-batch';
const BUCKET = 'tessera-orders-products';
/** moto's account, which owns the bucket (ExpectedBucketOwner). */
const ACCOUNT = '123456789012';

let moto: Moto;
let mesh: Mesh;
let ingest: typeof IngestHandler;
let local: typeof Local;
let s3: S3Client;
let dynamo: DynamoDBClient;

beforeAll(async () => {
  moto = await startMoto();
  Object.assign(process.env, { ...motoEnvironment(moto), CATALOG_TABLE: TABLE, MESH_NAME: 'ecommerce' });
  // The handler creates its clients at module scope, so it is imported once the env is set.
  ingest = await import('../../lambdas/catalog/ingest-handler.js');
  local = await import('../../lambdas/catalog/local.js');
  const config = { region: TEST_REGION, credentials: TEST_CREDENTIALS, endpoint: moto.endpoint };
  s3 = new S3Client({ ...config, forcePathStyle: true });
  dynamo = new DynamoDBClient(config);
  await local.createCatalogTable(dynamo, TABLE);
  const example = await exampleMesh();
  mesh = { ...example, config: { ...example.config, domains: example.config.domains.map((d) => ({ ...d, account: ACCOUNT })) } };
  await local.dynamoCatalogStore(dynamo, TABLE).putMeshConfig(mesh.config);
  await s3.send(new CreateBucketCommand({ Bucket: BUCKET, CreateBucketConfiguration: { LocationConstraint: TEST_REGION } }));
}, 120_000);

afterAll(async () => {
  await moto?.stop();
});

afterEach(() => {
  vi.restoreAllMocks();
});

/** Stores an orders-domain contract in S3 and returns the publication announcing it. */
async function stored(product: string): Promise<PublicationDetail> {
  const text = contractText(mesh, product);
  const key = `${product}/_tessera/contract/1.0.0.odcs.yaml`;
  await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: key, Body: text }));
  return { mesh: 'ecommerce', domain: 'orders', product, version: '1.0.0', sha256: createHash('sha256').update(text, 'utf8').digest('hex'), location: { account: ACCOUNT, region: TEST_REGION, bucket: BUCKET, key } };
}

function batchOf(details: PublicationDetail[]): SQSEvent {
  return local.sqsEventOf(details.map((d) => local.eventEnvelope('tessera.catalog', 'ContractPublished', d, { account: ACCOUNT })));
}

/** Calls the handler and returns its response with every line it printed to stdout. */
async function printed<T>(call: () => Promise<T>): Promise<{ result: T; lines: string[] }> {
  const lines: string[] = [];
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    lines.push(...String(chunk).split('\n').filter(Boolean));
    return true;
  });
  const result = await call();
  vi.restoreAllMocks();
  return { result, lines };
}

const emf = (lines: string[]): Record<string, unknown>[] => lines.map((l) => JSON.parse(l) as Record<string, unknown>).filter((o) => '_aws' in o);

describe('the ingest handler on one SQS batch (moto)', () => {
  it('reports exactly the message that must be retried, stores the good ones and prints their metrics per domain and product', async () => {
    const orders = await stored('orders');
    const lines = await stored('order-lines');
    // Announced, but not in the bucket (yet): S3 answers NoSuchKey, a failure to retry.
    const missing = { ...orders, version: '1.0.1', location: { ...orders.location, key: 'orders/_tessera/contract/1.0.1.odcs.yaml' } };
    const event = batchOf([orders, missing, lines]);
    const badId = event.Records[1]!.messageId;

    const { result, lines: out } = await printed(() => ingest.handler(event, local.localContext('catalog-ingest')));
    expect(result).toEqual({ batchItemFailures: [{ itemIdentifier: badId }] });

    const store = local.dynamoCatalogStore(dynamo, TABLE);
    expect((await store.getVersion('orders', '1.0.0'))?.sha256).toBe(orders.sha256);
    expect((await store.getVersion('order-lines', '1.0.0'))?.sha256).toBe(lines.sha256);
    expect(await store.getVersion('orders', '1.0.1')).toBeUndefined();
    expect((await store.getSummary('orders'))?.summary.version).toBe('1.0.0');

    const metrics = emf(out);
    const published = metrics.filter((m) => 'VersionsPublished' in m);
    expect(published).toEqual([
      {
        _aws: { Timestamp: expect.any(Number) as number, CloudWatchMetrics: [{ Namespace: 'Tessera/Catalog', Dimensions: [['service', 'Domain', 'Product']], Metrics: [{ Name: 'VersionsPublished', Unit: 'Count' }] }] },
        service: 'tessera-catalog',
        Domain: 'orders',
        Product: 'orders',
        VersionsPublished: 1,
      },
      {
        _aws: { Timestamp: expect.any(Number) as number, CloudWatchMetrics: [{ Namespace: 'Tessera/Catalog', Dimensions: [['service', 'Domain', 'Product']], Metrics: [{ Name: 'VersionsPublished', Unit: 'Count' }] }] },
        service: 'tessera-catalog',
        Domain: 'orders',
        Product: 'order-lines',
        VersionsPublished: 1,
      },
    ]);
    // The batch's total, flushed by logMetrics when the invocation ends.
    expect(metrics.filter((m) => 'MessagesRetried' in m)).toEqual([
      {
        _aws: { Timestamp: expect.any(Number) as number, CloudWatchMetrics: [{ Namespace: 'Tessera/Catalog', Dimensions: [['service']], Metrics: [{ Name: 'MessagesRetried', Unit: 'Count' }] }] },
        service: 'tessera-catalog',
        MessagesRetried: 1,
      },
    ]);
  });

  it('counts a dropped message by reason and a refused publication by domain and product, retrying neither', async () => {
    const orders = await stored('orders');
    const event = local.sqsEventOf(['not json', local.eventEnvelope('tessera.catalog', 'ContractPublished', { ...orders, sha256: 'f'.repeat(64) }, { account: ACCOUNT })]);
    const { result, lines } = await printed(() => ingest.handler(event, local.localContext('catalog-ingest')));
    expect(result).toEqual({ batchItemFailures: [] });
    const metrics = emf(lines);
    expect(metrics.find((m) => 'MessagesDropped' in m)).toEqual({
      _aws: { Timestamp: expect.any(Number) as number, CloudWatchMetrics: [{ Namespace: 'Tessera/Catalog', Dimensions: [['service', 'Reason']], Metrics: [{ Name: 'MessagesDropped', Unit: 'Count' }] }] },
      service: 'tessera-catalog',
      Reason: 'invalid-json',
      MessagesDropped: 1,
    });
    expect(metrics.find((m) => 'PublicationsRefused' in m)).toEqual({
      _aws: { Timestamp: expect.any(Number) as number, CloudWatchMetrics: [{ Namespace: 'Tessera/Catalog', Dimensions: [['service', 'Domain', 'Product', 'Reason']], Metrics: [{ Name: 'PublicationsRefused', Unit: 'Count' }] }] },
      service: 'tessera-catalog',
      Domain: 'orders',
      Product: 'orders',
      Reason: 'mismatch',
      PublicationsRefused: 1,
    });
  });

  it('prints the product\'s trust score after a quality run, per domain and product, for the mesh dashboard', async () => {
    await ingest.handler(batchOf([await stored('orders')]), local.localContext('catalog-ingest'));
    // 8 of 10 checks passed, the two failures are warnings and no SLA check: pass rate 0.8, SLAs met
    // in 1 of 1 runs, so 100 × (0.7 × 0.8 + 0.3 × 1) = 86 (lib/catalog/trust.ts's weights).
    const failing = ['a', 'b'].map((id) => ({ id: `orders.${id}`, name: id, status: 'fail', severity: 'warning' }));
    const detail = { product: 'orders', version: '1.0.0', runId: 'run-trust', at: '2026-11-25T08:00:00Z', summary: { passed: 8, failed: 2, errors: 0, failedErrorSeverity: 0 }, failing };
    const event = local.sqsEventOf([local.eventEnvelope(QUALITY_SOURCE, QUALITY_DETAIL_TYPE, detail, { account: ACCOUNT })]);
    const { result, lines } = await printed(() => ingest.handler(event, local.localContext('catalog-ingest')));
    expect(result).toEqual({ batchItemFailures: [] });
    expect(emf(lines).find((m) => 'TrustScore' in m)).toEqual({
      _aws: { Timestamp: expect.any(Number) as number, CloudWatchMetrics: [{ Namespace: 'Tessera/Catalog', Dimensions: [['service', 'Domain', 'Product']], Metrics: [{ Name: 'TrustScore', Unit: 'None' }] }] },
      service: 'tessera-catalog',
      Domain: 'orders',
      Product: 'orders',
      TrustScore: 86,
    });
  });

  it('rejects an event that is not an SQS event, naming every bad field', async () => {
    const notSqs = { Records: [{ body: '{}', messageId: 42 }] };
    await expect(ingest.handler(notSqs as unknown as SQSEvent, local.localContext('catalog-ingest'))).rejects.toThrow(
      /^invalid input: Records\.0\.messageId: .*expected string.*; Records\.0\.receiptHandle: .*; .*Records\.0\.eventSource: /,
    );
    await expect(ingest.handler({} as SQSEvent, local.localContext('catalog-ingest'))).rejects.toThrow(/^invalid input: Records: /);
  });
});
