/**
 * The catalog service against a real local AWS API (moto): contracts in S3, `ContractPublished` and
 * `tessera.quality` events put on an EventBridge bus, routed by a rule to an SQS queue (with a DLQ
 * after 5 receives), received and fed to the ingest handler as Lambda would (whole middy chain), the
 * catalog table in DynamoDB, then every answer read through the API handler.
 */
import { createHash } from 'node:crypto';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, PutCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { CreateEventBusCommand, EventBridgeClient, PutEventsCommand, PutRuleCommand, PutTargetsCommand } from '@aws-sdk/client-eventbridge';
import { CreateBucketCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { CreateQueueCommand, DeleteMessageCommand, GetQueueAttributesCommand, ReceiveMessageCommand, SendMessageCommand, SQSClient, type Message } from '@aws-sdk/client-sqs';
import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type * as ApiHandler from '../../lambdas/catalog/api-handler.js';
import type * as IngestHandler from '../../lambdas/catalog/ingest-handler.js';
import type * as IngestDeps from '../../lambdas/catalog/ingest/deps.js';
import type * as Local from '../../lambdas/catalog/local.js';
import { logger } from '../../lambdas/shared/powertools.js';
import type { ProductDetail, QualityHistory, SearchResponse, VersionDetail, VersionList } from '../../lib/catalog/api-schema.js';
import { productDetailSchema, searchResponseSchema, versionDetailSchema } from '../../lib/catalog/api-schema.js';
import { PUBLICATION_DETAIL_TYPE, PUBLICATION_SOURCE, QUALITY_DETAIL_TYPE, QUALITY_SOURCE, type PublicationDetail } from '../../lib/catalog/publication.js';
import type { Mesh } from '../../lib/mesh/load.js';
import { contractText, edit, exampleMesh, orderLinesVersions, qualityDetail, withVersion } from '../support/catalog.js';
import { openLineageErrors } from '../../lib/lineage/openlineage/validate.js';
import { handWrittenEvent } from '../support/lineage.js';
import { motoEnvironment, startMoto, TEST_CREDENTIALS, TEST_REGION, type Moto } from '../support/moto.js';

// Set before the shared logger is created: the Lambda middleware resets its level on every call.
vi.hoisted(() => {
  process.env.POWERTOOLS_LOG_LEVEL = 'SILENT';
  process.env.POWERTOOLS_METRICS_DISABLED = 'true';
});

const TABLE = 'tessera-catalog';
const BUS = 'tessera-ecommerce';
/** moto's default account: buckets are owned by it, so ExpectedBucketOwner must name it. */
const ACCOUNT = '123456789012';

let moto: Moto;
let mesh: Mesh;
let handlers: { ingestDeps: typeof IngestDeps; ingest: typeof IngestHandler; api: typeof ApiHandler; local: typeof Local };
let clients: { s3: S3Client; dynamo: DynamoDBDocumentClient; events: EventBridgeClient; sqs: SQSClient };
let queueUrl: string;
let dlqUrl: string;

beforeAll(async () => {
  moto = await startMoto();
  Object.assign(process.env, {
    ...motoEnvironment(moto),
    CATALOG_TABLE: TABLE,
    MESH_NAME: 'ecommerce',
    CATALOG_SEARCH_MAX_AGE_MS: '0',
  });
  // The handlers create their clients at module scope, so they are imported once the env is set.
  handlers = { ingestDeps: await import('../../lambdas/catalog/ingest/deps.js'), ingest: await import('../../lambdas/catalog/ingest-handler.js'), api: await import('../../lambdas/catalog/api-handler.js'), local: await import('../../lambdas/catalog/local.js') };
  const config = { region: TEST_REGION, credentials: TEST_CREDENTIALS, endpoint: moto.endpoint };
  const dynamoClient = new DynamoDBClient(config);
  clients = { s3: new S3Client({ ...config, forcePathStyle: true }), dynamo: DynamoDBDocumentClient.from(dynamoClient), events: new EventBridgeClient(config), sqs: new SQSClient(config) };

  mesh = await exampleMesh();
  await handlers.local.createCatalogTable(dynamoClient, TABLE);
  // moto is one account: the mesh's domains are mapped onto it, so the catalog's check that an event
  // comes from its domain's own account holds (a test below sends one from another account).
  mesh = { ...mesh, config: { ...mesh.config, domains: mesh.config.domains.map((d) => ({ ...d, account: ACCOUNT })) } };
  await handlers.local.dynamoCatalogStore(dynamoClient, TABLE).putMeshConfig(mesh.config);
  for (const { domain } of mesh.config.domains.map((d) => ({ domain: d.name }))) {
    await clients.s3.send(new CreateBucketCommand({ Bucket: bucketOf(domain), CreateBucketConfiguration: { LocationConstraint: TEST_REGION } }));
  }

  await clients.events.send(new CreateEventBusCommand({ Name: BUS }));
  dlqUrl = (await clients.sqs.send(new CreateQueueCommand({ QueueName: 'catalog-dlq' }))).QueueUrl!;
  const dlqArn = await queueArn(dlqUrl);
  queueUrl = (
    await clients.sqs.send(
      new CreateQueueCommand({ QueueName: 'catalog-ingest', Attributes: { VisibilityTimeout: '1', RedrivePolicy: JSON.stringify({ deadLetterTargetArn: dlqArn, maxReceiveCount: 5 }) } }),
    )
  ).QueueUrl!;
  await clients.events.send(new PutRuleCommand({ Name: 'catalog', EventBusName: BUS, EventPattern: JSON.stringify({ source: [PUBLICATION_SOURCE, QUALITY_SOURCE] }) }));
  await clients.events.send(new PutTargetsCommand({ Rule: 'catalog', EventBusName: BUS, Targets: [{ Id: 'ingest', Arn: await queueArn(queueUrl) }] }));
});

afterAll(async () => {
  await moto?.stop();
});

function bucketOf(domain: string): string {
  return `tessera-${domain}-products`;
}

async function queueArn(url: string): Promise<string> {
  return (await clients.sqs.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['QueueArn'] }))).Attributes!.QueueArn!;
}

/** Stores a contract where its domain stack would, and returns the event detail announcing it. */
async function stored(text: string, domain: string, overrides: Partial<PublicationDetail> = {}, keySuffix = ''): Promise<PublicationDetail> {
  const product = /^id: (.*)$/m.exec(text)?.[1] ?? 'unknown';
  const version = /^version: (.*)$/m.exec(text)?.[1] ?? '0.0.0';
  const key = `${product}/_tessera/contract/${version}${keySuffix}.odcs.yaml`;
  await clients.s3.send(new PutObjectCommand({ Bucket: bucketOf(domain), Key: key, Body: text }));
  return {
    mesh: 'ecommerce',
    domain,
    product,
    version,
    sha256: createHash('sha256').update(text, 'utf8').digest('hex'),
    location: { account: ACCOUNT, region: TEST_REGION, bucket: bucketOf(domain), key },
    ...overrides,
  };
}

/** Puts events on the bus, receives them from the queue and returns the messages. */
async function throughTheBus(entries: { source: string; detailType: string; detail: unknown }[]): Promise<Message[]> {
  const put = await clients.events.send(
    new PutEventsCommand({ Entries: entries.map((e) => ({ EventBusName: BUS, Source: e.source, DetailType: e.detailType, Detail: JSON.stringify(e.detail) })) }),
  );
  expect(put.FailedEntryCount ?? 0).toBe(0);
  return receive(entries.length);
}

/** Receives until `count` messages arrived or `rounds` long polls of 1 s came back empty-handed. */
async function receive(count: number, url = queueUrl, rounds = count === 0 ? 2 : 20): Promise<Message[]> {
  const out: Message[] = [];
  for (let i = 0; i < rounds && (count === 0 || out.length < count); i++) {
    const got = await clients.sqs.send(new ReceiveMessageCommand({ QueueUrl: url, MaxNumberOfMessages: 10, WaitTimeSeconds: 1, MessageSystemAttributeNames: ['All'] }));
    out.push(...(got.Messages ?? []));
  }
  return out;
}

/**
 * EventBridge always sets `account` (the account that put the event) in what it delivers; moto
 * 5.2.1's SQS delivery leaves it out. The catalog relies on it, so it is put back as EventBridge
 * would: every event here was put by moto's one account.
 */
function asEventBridgeDelivers(body: string): string {
  try {
    const event = JSON.parse(body) as Record<string, unknown>;
    if (typeof event === 'object' && event !== null && 'detail-type' in event && !('account' in event)) return JSON.stringify({ ...event, account: ACCOUNT });
  } catch {
    // a poison message: delivered as it is
  }
  return body;
}

/** What Lambda's SQS poller does: one SQS event for the batch, delete what succeeded. */
async function ingest(messages: Message[]): Promise<SQSBatchResponse> {
  const event: SQSEvent = {
    Records: messages.map((m) => ({
      messageId: m.MessageId!,
      receiptHandle: m.ReceiptHandle!,
      body: asEventBridgeDelivers(m.Body!),
      attributes: { ApproximateReceiveCount: m.Attributes?.ApproximateReceiveCount ?? '1', SentTimestamp: '0', SenderId: 'events', ApproximateFirstReceiveTimestamp: '0' },
      messageAttributes: {},
      md5OfBody: m.MD5OfBody!,
      eventSource: 'aws:sqs',
      eventSourceARN: 'arn:aws:sqs:eu-west-1:123456789012:catalog-ingest',
      awsRegion: TEST_REGION,
    })),
  };
  const response = await handlers.ingest.handler(event, handlers.local.localContext('catalog-ingest'));
  const failed = new Set(response.batchItemFailures.map((f) => f.itemIdentifier));
  for (const m of messages) if (!failed.has(m.MessageId!)) await clients.sqs.send(new DeleteMessageCommand({ QueueUrl: queueUrl, ReceiptHandle: m.ReceiptHandle! }));
  return response;
}

const publication = (detail: PublicationDetail) => ({ source: PUBLICATION_SOURCE, detailType: PUBLICATION_DETAIL_TYPE, detail });
const quality = (detail: unknown) => ({ source: QUALITY_SOURCE, detailType: QUALITY_DETAIL_TYPE, detail });

async function api<T = unknown>(path: string): Promise<{ status: number; body: T }> {
  const response = await handlers.api.handler(handlers.local.apiEventOf(path), handlers.local.localContext('catalog-api'));
  return { status: response.statusCode, body: JSON.parse(response.body) as T };
}

async function tableItems(): Promise<Record<string, unknown>[]> {
  const out = await clients.dynamo.send(new ScanCommand({ TableName: TABLE }));
  return (out.Items ?? []).sort((a, b) => `${String(a.pk)}${String(a.sk)}`.localeCompare(`${String(b.pk)}${String(b.sk)}`));
}

describe('catalog ingest and API against moto', () => {
  let firstBatch: Message[];

  it('publishes the 5 example products from events on the bus', async () => {
    const details = await Promise.all(mesh.products.map((p) => stored(p.contract.source.text, p.domain)));
    firstBatch = await throughTheBus(details.map(publication));
    expect(firstBatch).toHaveLength(5);
    expect(await ingest(firstBatch)).toEqual({ batchItemFailures: [] });

    const all = await api<SearchResponse>('/products');
    expect(all.status).toBe(200);
    expect(searchResponseSchema.parse(all.body).items.map((p) => [p.id, p.version, p.trust.label])).toEqual([
      ['customer-profiles', '1.0.0', 'unknown'],
      ['order-lines', '1.0.0', 'unknown'],
      ['orders', '1.0.0', 'unknown'],
      ['shipments', '1.0.0', 'unknown'],
      ['stock-levels', '1.0.0', 'unknown'],
    ]);
  });

  it('changes nothing when the same events are delivered again, or published twice', async () => {
    const before = await tableItems();
    // The same messages again (an SQS redelivery), and the same publications as new events.
    expect(await ingest(firstBatch)).toEqual({ batchItemFailures: [] });
    const again = await throughTheBus(await Promise.all(mesh.products.map(async (p) => publication(await stored(p.contract.source.text, p.domain)))));
    expect(await ingest(again)).toEqual({ batchItemFailures: [] });
    expect(await tableItems()).toEqual(before);
  });

  it('keeps every version when they arrive out of order, the highest as latest, each diffed against the one below it', async () => {
    const versions = orderLinesVersions(contractText(mesh, 'order-lines'));
    expect(await ingest(await throughTheBus([publication(await stored(versions['2.0.0'], 'orders'))]))).toEqual({ batchItemFailures: [] });
    let v2 = (await api<VersionDetail>('/products/order-lines/versions/2.0.0')).body;
    expect(v2.previousVersion).toBe('1.0.0');
    expect(v2.diff!.changes.map((c) => c.rule).sort()).toEqual(['classification-lowered', 'description-changed']);

    expect(await ingest(await throughTheBus([publication(await stored(versions['1.1.0'], 'orders'))]))).toEqual({ batchItemFailures: [] });
    const list = (await api<VersionList>('/products/order-lines/versions')).body;
    expect(list.items.map((v) => [v.version, v.previousVersion, v.breaking])).toEqual([
      ['2.0.0', '1.1.0', true],
      ['1.1.0', '1.0.0', false],
      ['1.0.0', null, null],
    ]);
    v2 = versionDetailSchema.parse((await api('/products/order-lines/versions/2.0.0')).body);
    expect(v2.diff!.changes.map((c) => c.rule)).toEqual(['classification-lowered']);
    expect(v2.diff).toMatchObject({ before: '1.1.0', after: '2.0.0', breaking: true, versionBump: 'major', ok: true });
    const v11 = (await api<VersionDetail>('/products/order-lines/versions/1.1.0')).body;
    expect(v11.diff!.changes.map((c) => c.rule)).toEqual(['description-changed']);
    expect(v11.contract.description.purpose).toMatch(/^One row per line of an order/);

    const detail = (await api<ProductDetail>('/products/order-lines')).body;
    expect(detail.version).toBe('2.0.0');
    expect(detail.tables[0]!.columns.find((c) => c.name === 'line_amount')!.classification).toBe('public');
    expect((await api<SearchResponse>('/products?q=order%20lines')).body.items[0]).toMatchObject({ id: 'order-lines', version: '2.0.0' });

    // Paginated, newest first.
    const page1 = (await api<VersionList>('/products/order-lines/versions?limit=2')).body;
    const page2 = (await api<VersionList>(`/products/order-lines/versions?limit=2&cursor=${encodeURIComponent(page1.next!)}`)).body;
    expect([...page1.items, ...page2.items].map((v) => v.version)).toEqual(['2.0.0', '1.1.0', '1.0.0']);
    expect(page2.next).toBeNull();

    // A correction computed from stale neighbours (2.0.0 against 1.0.0, as an ingest that read before
    // 1.1.0 arrived would) is refused by the compare-and-set, and the right diff stays.
    const store = handlers.local.dynamoCatalogStore(new DynamoDBClient({ region: TEST_REGION, credentials: TEST_CREDENTIALS, endpoint: moto.endpoint }), TABLE);
    const stored2 = (await store.getVersion('order-lines', '2.0.0'))!;
    expect(await store.setVersionDiff('order-lines', '2.0.0', stored2.sha256, '1.0.0', '1.0.0', null)).toBe(false);
    expect((await store.getVersion('order-lines', '2.0.0'))!.previousVersion).toBe('1.1.0');
    // ... while one made from what is stored goes through (here: writing back the same).
    expect(await store.setVersionDiff('order-lines', '2.0.0', stored2.sha256, '1.1.0', '1.1.0', stored2.diff)).toBe(true);
    const first = (await store.getVersion('order-lines', '1.0.0'))!;
    expect(await store.setVersionDiff('order-lines', '1.0.0', first.sha256, null, null, null)).toBe(true);
    expect(await store.setVersionDiff('order-lines', '1.0.0', first.sha256, '0.9.0', null, null)).toBe(false);
  });

  it('refuses a different contract under a published version, keeps the published one and reports it', async () => {
    const errors = vi.spyOn(logger, 'error');
    const original = contractText(mesh, 'orders');
    const changed = edit(original, 'tags: [', 'tags: [changed, ');
    const detail = await stored(changed, 'orders', {}, '-changed');
    const before = (await api<VersionDetail>('/products/orders/versions/1.0.0')).body;
    expect(await ingest(await throughTheBus([publication(detail)]))).toEqual({ batchItemFailures: [] });

    const after = (await api<VersionDetail>('/products/orders/versions/1.0.0')).body;
    expect(after).toEqual(before);
    const page = productDetailSchema.parse((await api('/products/orders')).body);
    expect(page.tags).not.toContain('changed');
    expect(page.rejections[0]).toMatchObject({
      kind: 'sha256-conflict',
      product: 'orders',
      version: '1.0.0',
      sha256: detail.sha256,
      existingSha256: createHash('sha256').update(original, 'utf8').digest('hex'),
      location: detail.location,
      message: expect.stringMatching(/already published with sha256 .* was refused/) as string,
    });
    expect(errors.mock.calls.some(([message]) => message === 'catalog publication refused')).toBe(true);
    errors.mockRestore();
  });

  it('refuses an invalid contract with its findings, without retrying it', async () => {
    const invalid = edit(withVersion(contractText(mesh, 'shipments'), '1.1.0'), 'status: active', 'status: 42\nstatuss: active');
    const messages = await throughTheBus([publication(await stored(invalid, 'shipping'))]);
    expect(await ingest(messages)).toEqual({ batchItemFailures: [] });
    const page = (await api<ProductDetail>('/products/shipments')).body;
    expect(page.version).toBe('1.0.0');
    expect(page.rejections[0]).toMatchObject({ kind: 'invalid-contract', version: '1.1.0' });
    expect(page.rejections[0]!.findings.join('\n')).toMatch(/statuss/);
  });

  it('refuses a contract that is not the one the event announced', async () => {
    const detail = await stored(withVersion(contractText(mesh, 'stock-levels'), '1.0.1'), 'inventory');
    expect(await ingest(await throughTheBus([publication({ ...detail, version: '1.0.2' })]))).toEqual({ batchItemFailures: [] });
    expect(await ingest(await throughTheBus([publication({ ...detail, sha256: 'f'.repeat(64) })]))).toEqual({ batchItemFailures: [] });
    const page = (await api<ProductDetail>('/products/stock-levels')).body;
    expect(page.version).toBe('1.0.0');
    expect(page.rejections.map((r) => r.kind)).toEqual(['mismatch', 'mismatch']);
    expect(page.rejections.map((r) => r.message + r.findings.join(' ')).join('\n')).toMatch(/version: the contract is version 1\.0\.1, the event says 1\.0\.2/);
    expect(page.rejections.map((r) => r.message).join('\n')).toMatch(/has sha256 [0-9a-f]{64}, not the f{64} the event announced/);
  });

  it('believes an event only from the account of the domain it speaks for, and keeps a product with its domain', async () => {
    const errors = vi.spyOn(logger, 'error');
    const before = (await api<ProductDetail>('/products/orders')).body;
    const text = withVersion(contractText(mesh, 'orders'), '7.0.0');
    const detail = await stored(text, 'orders');
    const envelope = (account: string, id: string, d: unknown, source = PUBLICATION_SOURCE, type = PUBLICATION_DETAIL_TYPE) =>
      JSON.stringify({ version: '0', id, 'detail-type': type, source, account, time: '2026-11-25T09:00:00Z', region: TEST_REGION, resources: [], detail: d });
    const bodies = [
      // Another account announcing orders' next version, from orders' bucket or from its own.
      envelope('999999999999', 'foreign-1', detail),
      envelope('999999999999', 'foreign-2', { ...detail, location: { ...detail.location, account: '999999999999' } }),
      // The right account, but claiming the product for another domain.
      envelope(ACCOUNT, 'rehome', { ...detail, domain: 'shipping' }),
      // A quality run of orders from another account.
      envelope('999999999999', 'foreign-quality', qualityDetail('orders', { runId: 'forged', at: '2026-11-25T10:00:00Z', summary: { passed: 0, failed: 30, errors: 0, failedErrorSeverity: 30 } }), QUALITY_SOURCE, QUALITY_DETAIL_TYPE),
    ];
    for (const body of bodies) await clients.sqs.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: body }));
    expect(await ingest(await receive(bodies.length))).toEqual({ batchItemFailures: [] });
    const dropped = errors.mock.calls.filter(([m]) => m === 'catalog message dropped: it can never be processed').map(([, d]) => (d as { reason: string }).reason);
    expect(dropped).toEqual([
      expect.stringMatching(/^detail\.location\.account: account 999999999999 announced a contract in account 123456789012/),
      expect.stringMatching(/^account: the event came from account 999999999999, but domain 'orders' is account 123456789012/),
      expect.stringMatching(/^detail\.domain: product 'orders' belongs to domain 'orders', not 'shipping'/),
      expect.stringMatching(/^account: a quality run of 'orders' came from account 999999999999/),
    ]);
    // Nothing changed on the product's page: no version, no rejection, no quality run.
    const after = (await api<ProductDetail>('/products/orders')).body;
    expect(after.version).toBe(before.version);
    expect(after.rejections).toEqual(before.rejections);
    expect(after.trust).toEqual(before.trust);
    errors.mockClear();
    errors.mockRestore();
  });

  it('refuses a cursor signed with the derivable default key but pointing outside its list (400, not a DynamoDB error)', async () => {
    const { encodeCursor } = await import('../../lib/catalog/cursor.js');
    const forged = encodeCursor({ k: 'QUALITY#9999' }, ['versions', 'orders'].join('\n'), process.env.CATALOG_CURSOR_KEY ?? 'tessera-catalog/ecommerce');
    const response = await api<{ error: string; message: string }>(`/products/orders/versions?cursor=${encodeURIComponent(forged)}`);
    expect(response.status).toBe(400);
    expect(response.body).toEqual({ error: 'InvalidCursor', message: "query parameter 'cursor' the cursor does not belong to this list" });
  });

  it('drops poison messages with an error naming the field, and retries only what can succeed', async () => {
    const errors = vi.spyOn(logger, 'error');
    const envelope = (source: string, detailType: string, detail: unknown) => JSON.stringify({ version: '0', id: `poison-${source}-${detailType}`, 'detail-type': detailType, source, account: ACCOUNT, time: '2026-11-25T09:00:00Z', region: TEST_REGION, resources: [], detail });
    const good = await stored(contractText(mesh, 'orders'), 'orders');
    const bodies = [
      'this is not json',
      JSON.stringify({ hello: 'world' }),
      envelope('tessera.billing', 'Invoice', {}),
      envelope(PUBLICATION_SOURCE, PUBLICATION_DETAIL_TYPE, { ...good, sha256: 'not-a-sha' }),
      envelope(PUBLICATION_SOURCE, PUBLICATION_DETAIL_TYPE, { ...good, product: undefined }),
      envelope(PUBLICATION_SOURCE, PUBLICATION_DETAIL_TYPE, { ...good, mesh: 'another-mesh' }),
      envelope(QUALITY_SOURCE, QUALITY_DETAIL_TYPE, { product: 'orders', runId: 'x' }),
    ];
    for (const body of bodies) await clients.sqs.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: body }));
    const messages = await receive(bodies.length);
    expect(messages).toHaveLength(bodies.length);
    expect(await ingest(messages)).toEqual({ batchItemFailures: [] });

    const dropped = errors.mock.calls.filter(([m]) => m === 'catalog message dropped: it can never be processed').map(([, d]) => (d as { reason: string }).reason);
    expect(dropped).toEqual([
      expect.stringMatching(/^the message body is not JSON/),
      // Every missing field named, in the order of Powertools Parser's EventBridge schema.
      expect.stringMatching(/not an EventBridge event: version: .*id: .*source: .*account: .*time: .*region: .*resources: .*detail-type: .*detail: /),
      expect.stringMatching(/^source: 'tessera\.billing' with detail-type 'Invoice' is not an event the catalog consumes/),
      expect.stringMatching(/detail\.product: /),
      expect.stringMatching(/^detail\.mesh: the event is for mesh 'another-mesh'/),
      expect.stringMatching(/detail\.version: .*detail\.at: .*detail\.summary: .*detail\.failing: /),
    ]);
    // The malformed publication that names a product is shown on that product's page.
    const page = (await api<ProductDetail>('/products/orders')).body;
    expect(page.rejections.find((r) => r.kind === 'invalid-event')!.findings).toEqual([expect.stringMatching(/^detail\.sha256: must be a sha256/)]);
    expect(await receive(0)).toEqual([]);
    errors.mockRestore();
  });

  it('retries a message whose contract cannot be read yet, until the DLQ takes it after 5 receives', async () => {
    const missing = { ...(await stored(contractText(mesh, 'orders'), 'orders')), version: '1.0.0', location: { account: ACCOUNT, region: TEST_REGION, bucket: bucketOf('orders'), key: 'orders/_tessera/contract/9.9.9.odcs.yaml' } };
    let messages = await throughTheBus([publication(missing)]);
    for (let receiveCount = 1; receiveCount <= 5; receiveCount++) {
      expect(messages).toHaveLength(1);
      expect(messages[0]!.Attributes?.ApproximateReceiveCount).toBe(String(receiveCount));
      const response = await ingest(messages);
      expect(response.batchItemFailures).toEqual([{ itemIdentifier: messages[0]!.MessageId }]);
      await new Promise((r) => setTimeout(r, 1100));
      messages = await receive(1, queueUrl, receiveCount < 5 ? 20 : 3);
    }
    expect(messages).toEqual([]);
    const dead = await receive(1, dlqUrl);
    expect(dead).toHaveLength(1);
    expect(JSON.parse(dead[0]!.Body!)).toMatchObject({ source: PUBLICATION_SOURCE, detail: { location: { key: 'orders/_tessera/contract/9.9.9.odcs.yaml' } } });
  });

  it('updates the latest quality, freshness and trust from quality events, also in search', async () => {
    expect((await api<ProductDetail>('/products/shipments')).body.trust.label).toBe('unknown');
    const runs = [
      qualityDetail('shipments', { runId: 'r1', at: '2026-11-23T06:00:00.000Z', summary: { passed: 20, failed: 0, errors: 0, failedErrorSeverity: 0 } }),
      qualityDetail('shipments', {
        runId: 'r2',
        at: '2026-11-24T06:00:00.000Z',
        summary: { passed: 18, failed: 2, errors: 0, failedErrorSeverity: 2 },
        failing: [
          { id: 'shipments.ship_date.latency', name: 'latency: newest ship_date at most 2 d old', status: 'fail', severity: 'error', actual: '4 d old', expected: 'at most 2 d' },
          { id: 'shipments.carrier.invalidValues', name: 'carrier_valid', status: 'fail', severity: 'error', actual: '3 rows', expected: '0 rows' },
        ],
      }),
    ];
    expect(await ingest(await throughTheBus(runs.map(quality)))).toEqual({ batchItemFailures: [] });

    const page = (await api<ProductDetail>('/products/shipments')).body;
    expect(page.quality).toMatchObject({ runId: 'r2', slaMet: false, summary: { failed: 2 } });
    expect(page.freshness).toMatchObject({ status: 'missed', latency: '2 d', checkedAt: '2026-11-24T06:00:00.000Z', detail: expect.stringMatching(/4 d old/) as string });
    // 0.7 × (1 + 0.9) / 2 + 0.3 × 1/2 = 0.815
    expect(page.trust).toMatchObject({ score: 82, label: 'medium', runs: 2, slaAttainment: 0.5 });
    const hit = (await api<SearchResponse>('/products?q=shipments')).body.items[0]!;
    expect(hit).toMatchObject({ id: 'shipments', trust: { score: 82 }, latestQuality: { runId: 'r2' } });

    const history = (await api<QualityHistory>('/products/shipments/quality')).body;
    expect(history.items.map((r) => [r.runId, r.slaMet])).toEqual([
      ['r2', false],
      ['r1', true],
    ]);
    // The same run again changes nothing.
    const before = await tableItems();
    expect(await ingest(await throughTheBus([quality(runs[1])]))).toEqual({ batchItemFailures: [] });
    expect(await tableItems()).toEqual(before);
  });

  it('ranks search results, tolerates typos and filters', async () => {
    const ids = async (query: string) => (await api<SearchResponse>(`/products?${query}`)).body.items.map((i) => i.id);
    expect((await ids('q=shipmnts'))[0]).toBe('shipments');
    expect((await ids('q=custmer%20profiles'))[0]).toBe('customer-profiles');
    expect((await ids('q=wareh'))).toContain('stock-levels');
    expect(await ids('domain=orders')).toEqual(['order-lines', 'orders']);
    expect(await ids('classification=restricted')).toEqual(['customer-profiles']);
    expect(await ids('q=orders&domain=shipping')).toEqual(['shipments']);
    expect(await ids('owner=shipping-data-team')).toEqual(['shipments']);
    expect(await ids('tag=logistics')).toEqual(['shipments']);
    expect(await ids('q=zzzzqqq')).toEqual([]);
  });

  it('pages through search results with an opaque cursor', async () => {
    const seen: string[] = [];
    let path = '/products?limit=2';
    for (;;) {
      const page = (await api<SearchResponse>(path)).body;
      seen.push(...page.items.map((i) => i.id));
      if (!page.next) break;
      path = `/products?limit=2&cursor=${encodeURIComponent(page.next)}`;
    }
    expect(seen).toEqual(['customer-profiles', 'order-lines', 'orders', 'shipments', 'stock-levels']);
    expect((await api<{ error: string }>(`/products?limit=2&cursor=${encodeURIComponent('x' + path.split('cursor=')[1]!)}`)).body.error).toBe('InvalidCursor');
  });

  it('shows everything a consumer needs on the product page', async () => {
    const page = productDetailSchema.parse((await api('/products/customer-profiles')).body);
    expect(page).toMatchObject({ id: 'customer-profiles', domain: 'customer', database: 'customer', version: '1.0.0', status: 'active' });
    expect(page.tables[0]!.athenaTable).toMatch(/^customer\./);
    expect(page.tables[0]!.sampleQuery).toMatch(/^SELECT \* FROM "customer"\."[a-z_]+".* LIMIT 10$/);
    expect(page.tables[0]!.columns.some((c) => c.classification === 'restricted')).toBe(true);
    expect(page.tables[0]!.classification).toBe('restricted');
    expect(page.owners.length).toBeGreaterThan(0);
    expect(page.support.length).toBeGreaterThan(0);
    expect(page.slas.map((s) => s.property)).toContain('latency');
    expect(page.freshness.status).toBe('unknown');
    if (!page.access.available) throw new Error('access should be available from MESH/CONFIG');
    expect(page.access.consumers.map((c) => [c.name, c.tables.length > 0])).toEqual([
      ['analysts', true],
      ['customer-service', true],
      ['supply-chain', false],
      ['shipping-pipelines', false],
    ]);
    expect(page.sha256).toBe(createHash('sha256').update(contractText(mesh, 'customer-profiles'), 'utf8').digest('hex'));
  });

  it('answers 404 for what is not in the catalog', async () => {
    expect((await api('/products/returns')).body).toEqual({ error: 'ProductNotFound', message: "product 'returns' is not in the catalog" });
    expect((await api<{ error: string }>('/products/orders/versions/3.0.0')).body.error).toBe('VersionNotFound');
    expect((await api<{ error: string }>('/products/returns/quality')).status).toBe(404);
    expect((await api<{ error: string }>('/catalog')).body.error).toBe('UnknownRoute');
  });
});

describe('the persisted search snapshot in S3 (moto)', () => {
  it('is missing at first, then written and read back byte for byte', async () => {
    const { s3SnapshotStore } = await import('../../lambdas/catalog/search-cache.js');
    await clients.s3.send(new CreateBucketCommand({ Bucket: 'catalog-snapshots', CreateBucketConfiguration: { LocationConstraint: TEST_REGION } }));
    const snapshots = s3SnapshotStore(clients.s3, 'catalog-snapshots');
    expect(await snapshots.read()).toBeUndefined();
    const body = new TextEncoder().encode('{"format":"tessera-catalog-search/1"}');
    await snapshots.write(body);
    expect(await snapshots.read()).toEqual(body);
  });

  it('reports any other S3 failure (a missing bucket) instead of hiding it', async () => {
    const { s3SnapshotStore } = await import('../../lambdas/catalog/search-cache.js');
    await expect(s3SnapshotStore(clients.s3, 'no-such-bucket').read()).rejects.toThrow(/bucket/i);
  });
});

describe('lineage and the correlation id (moto)', () => {
  const correlationId = '3d2c1b0a-9f8e-4d7c-8b6a-5f4e3d2c1b0a';

  it('carries one correlation id from the publication event through the ingest log into the version record and its OpenLineage run', async () => {
    const text = withVersion(contractText(mesh, 'orders'), '1.5.0');
    const messages = await throughTheBus([publication(await stored(text, 'orders', { correlationId }))]);
    // The tests' logger is silent (and Lambda's middleware resets its level per call): the calls
    // that put the id on every log line of the message, and take it off after, are what is checked.
    const append = vi.spyOn(logger, 'appendKeys');
    const info = vi.spyOn(logger, 'info');
    const remove = vi.spyOn(logger, 'removeKeys');
    try {
      expect(await ingest(messages)).toEqual({ batchItemFailures: [] });
      const appended = append.mock.calls.findIndex(([keys]) => keys.correlationId === correlationId);
      const handled = info.mock.calls.findIndex(([message]) => message === 'catalog message handled');
      const removed = remove.mock.calls.findIndex(([keys]) => keys.includes('correlationId'));
      expect([appended, handled, removed].every((i) => i >= 0)).toBe(true);
      expect(append.mock.invocationCallOrder[appended]!).toBeLessThan(info.mock.invocationCallOrder[handled]!);
      expect(info.mock.invocationCallOrder[handled]!).toBeLessThan(remove.mock.invocationCallOrder[removed]!);
    } finally {
      for (const spy of [append, info, remove]) spy.mockRestore();
    }

    const items = (await tableItems()).filter((i) => i.pk === 'PRODUCT#orders');
    expect(items.find((i) => String(i.sk).startsWith('VERSION#') && i.version === '1.5.0')).toMatchObject({ correlationId });
    const lineage = items.filter((i) => String(i.sk).startsWith('LINEAGE#') && i.correlationId === correlationId);
    expect(lineage).toHaveLength(1);
    const event = JSON.parse(lineage[0]!.event as string) as { run: { runId: string }; job: { name: string }; outputs: { name: string; facets: { symlinks: unknown } }[] };
    expect(event.run.runId).toBe(correlationId);
    expect(event.job.name).toBe('orders.publish');
    expect(event.outputs[0]).toMatchObject({ name: 'AwsDataCatalog.orders.orders', facets: { symlinks: { identifiers: [{ namespace: `arn:aws:glue:${TEST_REGION}:${ACCOUNT}`, name: 'table/orders/orders', type: 'TABLE' }] } } });
    expect(openLineageErrors(event)).toEqual([]);
  });

  it('stores a quality run as an OpenLineage run naming every check of the plan, failed or passed', async () => {
    const failing = [{ id: 'orders.order_id.unique', name: 'order_id is unique', status: 'fail', severity: 'error', actual: '3 duplicates', expected: '0' }];
    const detail = qualityDetail('orders', { version: '1.5.0', runId: 'lineage-run', at: '2026-11-30T08:00:00.000Z', summary: { passed: 0, failed: 1, errors: 0, failedErrorSeverity: 1 }, failing });
    expect(await ingest(await throughTheBus([quality(detail)]))).toEqual({ batchItemFailures: [] });
    const item = (await tableItems()).find((i) => i.pk === 'PRODUCT#orders' && String(i.sk).startsWith('LINEAGE#2026-11-30T08:00:00.000Z#'));
    const event = JSON.parse(item!.event as string) as { eventType: string; job: { name: string }; inputs: { name: string; inputFacets: { dataQualityAssertions: { assertions: { name: string; success: boolean }[] } } }[] };
    expect(event).toMatchObject({ eventType: 'FAIL', job: { name: 'orders.quality' } });
    const assertions = event.inputs.flatMap((i) => i.inputFacets.dataQualityAssertions.assertions);
    expect(assertions.filter((a) => !a.success).map((a) => a.name)).toEqual(['orders.order_id.unique']);
    expect(assertions.filter((a) => a.success).length).toBeGreaterThan(0);
    expect(openLineageErrors(event)).toEqual([]);
  });
  it('serves the lineage route from the mesh lineage item in DynamoDB', async () => {
    const store = handlers.local.dynamoCatalogStore(new DynamoDBClient({ region: TEST_REGION, credentials: TEST_CREDENTIALS, endpoint: moto.endpoint }), TABLE);
    await store.putMeshLineage([handWrittenEvent('shipments.consume', ['orders.orders'], ['shipping.shipments'])]);
    const { status, body } = await api<{ nodes: { id: string; distance: number }[] }>('/products/shipments/lineage?direction=up');
    expect(status).toBe(200);
    expect(body.nodes).toEqual([
      { id: 'product:orders', kind: 'product', distance: -1 },
      { id: 'product:shipments', kind: 'product', distance: 0 },
    ]);
    expect((await api('/products/shipments/lineage?depth=0')).status).toBe(400);
  });
  it('sends a lineage event to the HTTP sink queue as one message of its JSON', async () => {
    const url = (await clients.sqs.send(new CreateQueueCommand({ QueueName: 'lineage-sink' }))).QueueUrl!;
    const event = handWrittenEvent('orders.publish', [], ['orders.orders']);
    await handlers.ingestDeps.sqsLineageForwarder(clients.sqs, url)(event);
    const [message] = await receive(1, url);
    expect(JSON.parse(message!.Body!)).toEqual(event);
  });
});

describe('the MESH/CONFIG item in DynamoDB (lib/catalog/mesh-config-item.ts)', () => {
  const table = 'tessera-catalog-config';
  let client: DynamoDBClient;
  beforeAll(async () => {
    client = new DynamoDBClient({ region: TEST_REGION, credentials: TEST_CREDENTIALS, endpoint: moto.endpoint });
    await handlers.local.createCatalogTable(client, table);
  });

  it('is written packed (no JSON config attribute) and read back as the config', async () => {
    const store = handlers.local.dynamoCatalogStore(client, table);
    await store.putMeshConfig(mesh.config);
    const { Items } = await clients.dynamo.send(new ScanCommand({ TableName: table }));
    expect(Items!.map((i) => Object.keys(i).sort())).toEqual([['packedConfig', 'pk', 'sk']]);
    expect(await store.getMeshConfig()).toEqual(mesh.config);
  });

  it('reads the JSON config attribute an older governance stack wrote', async () => {
    await clients.dynamo.send(new PutCommand({ TableName: table, Item: { pk: 'MESH', sk: 'CONFIG', config: JSON.stringify({ ...mesh.config, name: 'older' }) } }));
    expect(await handlers.local.dynamoCatalogStore(client, table).getMeshConfig()).toEqual({ ...mesh.config, name: 'older' });
  });
});
