/**
 * The quality service's handlers through their whole middy chain against a real local AWS API
 * (moto): the contract read from S3, Athena results (queued through moto's API with the numbers
 * DuckDB computes on the sample data for the same statements), runs written to DynamoDB, metrics
 * to CloudWatch, and the `tessera.quality` event delivered through EventBridge to SQS.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AthenaClient, StartQueryExecutionCommand } from '@aws-sdk/client-athena';
import { CloudWatchClient, GetMetricStatisticsCommand, ListMetricsCommand } from '@aws-sdk/client-cloudwatch';
import { CreateTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import { CreateEventBusCommand, EventBridgeClient, PutRuleCommand, PutTargetsCommand } from '@aws-sdk/client-eventbridge';
import { CreateBucketCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { CreateQueueCommand, GetQueueAttributesCommand, ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import type { Context } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type * as EvaluateHandler from '../../lambdas/quality/evaluate-handler.js';
import type * as PlanHandler from '../../lambdas/quality/plan-handler.js';
import { loadContract } from '../../lib/contract/load.js';
import { duckdbReference } from '../support/duckdb-reference.js';
import type { QualityReport } from '../../lib/quality/run.js';
import { generateSampleData } from '../../mesh/generator/generate.js';
import { queueAthenaResults, motoEnvironment, startMoto, TEST_CREDENTIALS, TEST_REGION, type Moto } from '../support/moto.js';
import { root } from '../unit/constructs/helpers.js';

const PRODUCT = 'order-lines';
const CONTRACT_FILE = join(root, 'mesh/orders/order-lines.odcs.yaml');
const BUCKET = 'orders-order-lines';
const KEY = '_tessera/contract/1.0.0.odcs.yaml';
const TABLE = 'quality-runs';
const BUS = 'tessera-central';
const NOW = '2026-11-25T08:00:00.000Z';
const context = { functionName: 'test', awsRequestId: 'req-1', getRemainingTimeInMillis: () => 60_000 } as unknown as Context;

let moto: Moto;
let scratch: string;
let handlers: { plan: typeof PlanHandler; evaluate: typeof EvaluateHandler };
let clients: { s3: S3Client; athena: AthenaClient; dynamo: DynamoDBDocumentClient; cloudwatch: CloudWatchClient; events: EventBridgeClient; sqs: SQSClient };
let queueUrl: string;
let local: { report: QualityReport; valuesBySql: Map<string, { columns: string[]; rows: (string | null)[][] }> };

beforeAll(async () => {
  moto = await startMoto();
  Object.assign(process.env, {
    ...motoEnvironment(moto),
    RUNS_TABLE: TABLE,
    EVENT_BUS_NAME: BUS,
    POWERTOOLS_LOG_LEVEL: 'WARN',
  });
  // The handlers create their clients at module scope, so they are imported once the env is set.
  handlers = { plan: await import('../../lambdas/quality/plan-handler.js'), evaluate: await import('../../lambdas/quality/evaluate-handler.js') };
  const config = { region: TEST_REGION, credentials: TEST_CREDENTIALS, endpoint: moto.endpoint };
  clients = {
    s3: new S3Client({ ...config, forcePathStyle: true }),
    athena: new AthenaClient(config),
    dynamo: DynamoDBDocumentClient.from(new DynamoDBClient(config)),
    cloudwatch: new CloudWatchClient(config),
    events: new EventBridgeClient(config),
    sqs: new SQSClient(config),
  };
  await clients.s3.send(new CreateBucketCommand({ Bucket: BUCKET, CreateBucketConfiguration: { LocationConstraint: TEST_REGION } }));
  await clients.s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: KEY, Body: readFileSync(CONTRACT_FILE) }));
  await clients.dynamo.send(
    new CreateTableCommand({
      TableName: TABLE,
      BillingMode: 'PAY_PER_REQUEST',
      KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }, { AttributeName: 'sk', KeyType: 'RANGE' }],
      AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }, { AttributeName: 'sk', AttributeType: 'S' }],
    }),
  );
  await clients.events.send(new CreateEventBusCommand({ Name: BUS }));
  queueUrl = (await clients.sqs.send(new CreateQueueCommand({ QueueName: 'quality-events' }))).QueueUrl!;
  const queueArn = (await clients.sqs.send(new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ['QueueArn'] }))).Attributes!.QueueArn!;
  await clients.events.send(new PutRuleCommand({ Name: 'quality', EventBusName: BUS, EventPattern: JSON.stringify({ source: ['tessera.quality'], 'detail-type': ['tessera.quality'] }) }));
  await clients.events.send(new PutTargetsCommand({ Rule: 'quality', EventBusName: BUS, Targets: [{ Id: 'sqs', Arn: queueArn }] }));

  // The reference: the same plan on DuckDB over the sample data.
  scratch = mkdtempSync(join(tmpdir(), 'tessera-handlers-'));
  await generateSampleData({ meshDir: join(root, 'mesh'), outDir: scratch, asOf: NOW.slice(0, 10) });
  const contract = loadContract(readFileSync(CONTRACT_FILE, 'utf8'), CONTRACT_FILE).contract!;
  const { report, valuesById } = await duckdbReference(contract, scratch, NOW);
  local = { report, valuesBySql: valuesById };
});

afterAll(async () => {
  await moto?.stop();
  if (scratch) rmSync(scratch, { recursive: true, force: true });
});

const runInput = { product: PRODUCT, contractBucket: BUCKET, contractKey: KEY, database: 'orders', now: NOW };

/** What the state machine does between the two Lambdas: start each statement, collect its id. */
async function runStatements(statements: readonly { readonly id: string; readonly sql: string }[], fail: Set<string> = new Set()) {
  const executions = [];
  const queued = [];
  for (const s of statements) {
    if (fail.has(s.id)) {
      executions.push({ id: s.id, error: { Error: 'Athena.AmazonAthenaException', Cause: 'TABLE_NOT_FOUND: line 1:1: Table awsdatacatalog.orders.order_lines does not exist' } });
      continue;
    }
    const started = await clients.athena.send(new StartQueryExecutionCommand({ QueryString: s.sql, WorkGroup: 'primary', ResultConfiguration: { OutputLocation: `s3://${BUCKET}/athena/` } }));
    executions.push({ id: s.id, queryExecutionId: started.QueryExecutionId! });
    queued.push(local.valuesBySql.get(s.id)!);
  }
  await queueAthenaResults(moto.endpoint, queued);
  return executions;
}

async function receiveEvents(): Promise<{ detail: { product: string; summary: { failed: number; errors: number } } }[]> {
  const out = [];
  for (let i = 0; i < 5; i++) {
    const received = await clients.sqs.send(new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 1 }));
    for (const m of received.Messages ?? []) out.push(JSON.parse(m.Body!) as { detail: { product: string; summary: { failed: number; errors: number } } });
    if (out.length > 0) return out;
  }
  return out;
}

describe('quality handlers against moto', () => {
  it('plans Athena statements from the deployed contract: one aggregate per table', async () => {
    const planned = await handlers.plan.handler(runInput, context);
    expect(planned.version).toBe('1.0.0');
    expect(planned.statements.filter((s) => s.kind === 'aggregate')).toHaveLength(1);
    expect(planned.statements[0]!.sql).toContain('FROM "orders"."order_lines"');
  });

  it('judges Athena results exactly as DuckDB does locally, and records, measures and announces the run', async () => {
    const planned = await handlers.plan.handler(runInput, context);
    const executions = await runStatements(planned.statements);
    const summary = await handlers.evaluate.handler({ ...runInput, runId: 'run-1', executions }, context);
    expect(summary).toMatchObject({ product: PRODUCT, runId: 'run-1', ...local.report.summary });
    expect(summary.failed).toBeGreaterThan(0); // the sample data's duplicates and negative quantities

    const latest = await clients.dynamo.send(new GetCommand({ TableName: TABLE, Key: { pk: `product#${PRODUCT}`, sk: 'latest' } }));
    expect(latest.Item).toMatchObject({ runId: 'run-1', version: '1.0.0', summary: local.report.summary });
    const failingIds = (latest.Item!.results as { id: string; status: string }[]).filter((r) => r.status !== 'pass').map((r) => r.id).sort();
    expect(failingIds).toEqual(local.report.results.filter((r) => r.status !== 'pass').map((r) => r.id).sort());

    const metrics = await clients.cloudwatch.send(new ListMetricsCommand({ Namespace: 'Tessera/Quality', MetricName: 'CheckFailed' }));
    expect(metrics.Metrics?.length).toBe(local.report.results.length);
    // The dashboard's and the SLA alarm's figures, against what DuckDB measured on the same data.
    const stat = async (name: string, dimensions: Record<string, string>): Promise<number | undefined> => {
      const at = Date.parse(NOW);
      const out = await clients.cloudwatch.send(
        new GetMetricStatisticsCommand({ Namespace: 'Tessera/Quality', MetricName: name, Dimensions: Object.entries(dimensions).map(([Name, Value]) => ({ Name, Value })), StartTime: new Date(at - 3_600_000), EndTime: new Date(at + 3_600_000), Period: 7200, Statistics: ['Maximum'] }),
      );
      return out.Datapoints?.[0]?.Maximum;
    };
    const latency = local.report.results.find((r) => r.id === 'order_lines.order_date.latency')!;
    expect(await stat('DataAge', { Product: PRODUCT, Check: latency.id })).toBe(latency.value! / 1000);
    const { passed, failed, errors } = local.report.summary;
    expect(await stat('PassRate', { Product: PRODUCT })).toBeCloseTo((100 * passed) / (passed + failed + errors), 9);
    expect(await stat('RowsScanned', { Product: PRODUCT })).toBe(local.report.rowsScanned);

    const events = await receiveEvents();
    expect(events.map((e) => e.detail.product)).toContain(PRODUCT);
  });

  it('reports an Athena failure as checks that could not be measured, never as a pass', async () => {
    const planned = await handlers.plan.handler(runInput, context);
    const aggregate = planned.statements.find((s) => s.kind === 'aggregate')!;
    const executions = await runStatements(planned.statements, new Set([aggregate.id]));
    const summary = await handlers.evaluate.handler({ ...runInput, runId: 'run-2', executions }, context);
    const aggregateChecks = local.report.results.filter((r) => r.kind === 'aggregate' || r.kind === 'age').length;
    expect(summary.errors).toBe(aggregateChecks);
    const stored = await clients.dynamo.send(new GetCommand({ TableName: TABLE, Key: { pk: `product#${PRODUCT}`, sk: 'latest' } }));
    const unmeasured = (stored.Item!.results as { status: string; message?: string }[]).filter((r) => r.status === 'error');
    expect(unmeasured[0]!.message).toContain('TABLE_NOT_FOUND');
  });

  it('rejects a malformed event with a message naming the field', async () => {
    await expect(handlers.plan.handler({ ...runInput, database: 'Orders; DROP' }, context)).rejects.toThrow(/invalid input: database: a Glue database name/);
    await expect(handlers.evaluate.handler({ ...runInput, runId: 'x' } as never, context)).rejects.toThrow(/invalid input: executions/);
  });

  it('fails clearly when the deployed contract is not where the run says', async () => {
    await expect(handlers.plan.handler({ ...runInput, contractKey: '_tessera/contract/9.9.9.odcs.yaml' }, context)).rejects.toThrow(/NoSuchKey|does not exist|not found/i);
  });
});
