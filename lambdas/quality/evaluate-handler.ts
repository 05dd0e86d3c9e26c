/**
 * Step 3 of a quality run: read what Athena returned for each statement, judge every check with
 * the core (the same evaluation as `tessera test`), then record the run in DynamoDB, publish
 * CloudWatch metrics per product and check, and put a `tessera.quality` event on the central bus.
 * Statements that failed in Athena are reported as checks that could not be measured.
 */
import middy from '@middy/core';
import { AthenaClient } from '@aws-sdk/client-athena';
import { CloudWatchClient, PutMetricDataCommand, type MetricDatum } from '@aws-sdk/client-cloudwatch';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { S3Client } from '@aws-sdk/client-s3';
import { z } from 'zod';
import type { QueryResult } from '../../lib/engines/query-engine.js';
import { compilePlan } from '../../lib/quality/compile.js';
import { athena } from '../../lib/quality/dialects.js';
import { planQuality } from '../../lib/quality/plan.js';
import { driftFromEngineErrors, driftResults } from '../../lib/quality/drift.js';
import { qualityEventDetailOf, runQualityPlan, withResults, type QualityReport } from '../../lib/quality/run.js';
import { QUALITY_DIMENSION, QUALITY_METRIC, QUALITY_METRIC_NAMESPACE } from '../../lib/quality/telemetry.js';
import { QUALITY_DETAIL_TYPE, QUALITY_SOURCE } from '../../lib/catalog/publication.js';
import { requireEnv, validateInput } from '../shared/input.js';
import { logger, observed, tracer } from '../shared/powertools.js';
import { fetchAthenaResult, PrefetchedEngine } from '../shared/athena.js';
import { readDeployedContract } from './contract-source.js';
import { qualityRunInput } from './plan-handler.js';

type Clients = Pick<EvaluateDeps, 's3' | 'athena' | 'dynamo' | 'cloudwatch' | 'events'>;
let clients: Clients | undefined;
/** Created at the first event, not at import: the environment is read then. */
function awsClients(): Clients {
  clients ??= {
    s3: tracer.captureAWSv3Client(new S3Client({ forcePathStyle: process.env.AWS_ENDPOINT_URL !== undefined })),
    athena: tracer.captureAWSv3Client(new AthenaClient({})),
    dynamo: DynamoDBDocumentClient.from(tracer.captureAWSv3Client(new DynamoDBClient({})), { marshallOptions: { removeUndefinedValues: true } }),
    cloudwatch: tracer.captureAWSv3Client(new CloudWatchClient({})),
    events: tracer.captureAWSv3Client(new EventBridgeClient({})),
  };
  return clients;
}


export const evaluateInput = qualityRunInput.extend({
  runId: z.string().min(1),
  /** One entry per statement of the plan, as the state machine's Map produced them. */
  executions: z.array(
    z.object({
      id: z.string(),
      queryExecutionId: z.string().optional(),
      /** Set by the state machine's Catch when Athena failed after its retries. */
      error: z.object({ Error: z.string().optional(), Cause: z.string().optional() }).optional(),
    }),
  ),
});
export type EvaluateInput = z.infer<typeof evaluateInput>;

export interface EvaluateDeps {
  readonly s3: S3Client;
  readonly athena: AthenaClient;
  readonly dynamo: DynamoDBDocumentClient;
  readonly cloudwatch: CloudWatchClient;
  readonly events: EventBridgeClient;
  readonly runsTable: string;
  readonly eventBusName: string;
}

export interface RunSummary {
  readonly product: string;
  readonly version: string;
  readonly runId: string;
  readonly passed: number;
  readonly failed: number;
  readonly errors: number;
  readonly failedErrorSeverity: number;
}

export async function evaluateRun(input: EvaluateInput, deps: EvaluateDeps): Promise<RunSummary> {
  const contract = await readDeployedContract(deps.s3, input.contractBucket, input.contractKey);
  const plan = planQuality(contract);
  const statements = compilePlan(plan, athena, { database: input.database, asOf: input.now.slice(0, 10) });
  const executions = new Map(input.executions.map((e) => [e.id, e]));
  const results = new Map<string, QueryResult | Error>();
  for (const statement of statements) {
    const execution = executions.get(statement.id);
    if (!execution) {
      results.set(statement.sql, new Error(`the state machine returned nothing for statement ${statement.id}`));
    } else if (execution.error || !execution.queryExecutionId) {
      results.set(statement.sql, new Error(`Athena failed after retries: ${execution.error?.Error ?? 'error'}: ${execution.error?.Cause ?? 'no cause given'}`));
    } else {
      results.set(statement.sql, await fetchAthenaResult(deps.athena, execution.queryExecutionId).catch((e: unknown) => e as Error));
    }
  }
  const measured = await runQualityPlan(plan, statements, new PrefetchedEngine(results), { now: new Date(input.now) });
  // A statement Athena refused for a column it could not read as declared is drift, named by column.
  const tableOf = new Map(statements.map((s) => [s.id, s.table]));
  const failed = measured.statements.flatMap((s) => (s.error ? [{ table: tableOf.get(s.id) ?? '', error: s.error }] : []));
  const report = withResults(measured, driftResults(driftFromEngineErrors(contract.tables, failed)));
  await record(report, input, deps);
  const summary: RunSummary = { product: input.product, version: contract.version, runId: input.runId, ...report.summary };
  logger.info('quality run evaluated', { ...summary });
  return summary;
}

async function record(report: QualityReport, input: EvaluateInput, deps: EvaluateDeps): Promise<void> {
  const item = {
    product: input.product,
    version: report.version,
    runId: input.runId,
    at: report.now,
    summary: report.summary,
    bytesScanned: report.bytesScanned ?? 0,
    results: report.results.map((r) => ({ id: r.id, name: r.name, status: r.status, severity: r.severity, dimension: r.dimension, expected: r.expected, actual: r.actual, value: r.value, message: r.message })),
  };
  // The run itself (idempotent: a retried evaluation rewrites the same item), then the latest pointer.
  await deps.dynamo.send(new PutCommand({ TableName: deps.runsTable, Item: { pk: `product#${input.product}`, sk: `run#${report.now}#${input.runId}`, ...item } }));
  await deps.dynamo.send(new PutCommand({ TableName: deps.runsTable, Item: { pk: `product#${input.product}`, sk: 'latest', ...item } }));

  // PutMetricData, not Powertools Metrics (EMF): Metrics always adds a `service` dimension, and the
  // DataProduct alarms and dashboards read these metrics by exactly {Product} and {Product, Check};
  // each datum also carries the run's own time, and quality-handlers.test.ts reads them back from
  // CloudWatch on moto. The catalog ingest, with no such readers, uses logMetrics.
  const timestamp = new Date(report.now);
  const metrics: MetricDatum[] = [
    { MetricName: QUALITY_METRIC.failedErrorChecks, Dimensions: [{ Name: QUALITY_DIMENSION.product, Value: input.product }], Value: report.summary.failedErrorSeverity, Unit: 'Count', Timestamp: timestamp },
    { MetricName: QUALITY_METRIC.unmeasuredChecks, Dimensions: [{ Name: QUALITY_DIMENSION.product, Value: input.product }], Value: report.summary.errors, Unit: 'Count', Timestamp: timestamp },
    ...report.results.map((r) => ({
      MetricName: QUALITY_METRIC.checkFailed,
      Dimensions: [
        { Name: QUALITY_DIMENSION.product, Value: input.product },
        { Name: QUALITY_DIMENSION.check, Value: r.id.slice(0, 255) },
      ],
      Value: r.status === 'pass' ? 0 : 1,
      Unit: 'Count' as const,
      Timestamp: timestamp,
    })),
    ...dashboardData(report, input.product, timestamp),
  ];
  for (let i = 0; i < metrics.length; i += 500) {
    await deps.cloudwatch.send(new PutMetricDataCommand({ Namespace: QUALITY_METRIC_NAMESPACE, MetricData: metrics.slice(i, i + 500) }));
  }

  const detail = qualityEventDetailOf(report, input.runId);
  const put = await deps.events.send(new PutEventsCommand({ Entries: [{ EventBusName: deps.eventBusName, Source: QUALITY_SOURCE, DetailType: QUALITY_DETAIL_TYPE, Detail: JSON.stringify(detail) }] }));
  if ((put.FailedEntryCount ?? 0) > 0) throw new Error(`EventBridge refused the quality event: ${put.Entries?.[0]?.ErrorCode ?? ''} ${put.Entries?.[0]?.ErrorMessage ?? ''}`);
}

/**
 * What the product dashboard and the SLA alarm read besides pass/fail: the age of every latency
 * SLA's newest value (only when measured: a missing age is what the alarm counts as breaching),
 * the run's pass rate and the rows it counted.
 */
function dashboardData(report: QualityReport, product: string, timestamp: Date): MetricDatum[] {
  const byProduct = [{ Name: QUALITY_DIMENSION.product, Value: product }];
  const checks = report.results.length;
  const ages = report.results.filter((r) => r.kind === 'age' && r.id.endsWith('.latency') && r.value !== undefined && r.status !== 'error');
  return [
    ...ages.map((r) => ({ MetricName: QUALITY_METRIC.dataAge, Dimensions: [...byProduct, { Name: QUALITY_DIMENSION.check, Value: r.id.slice(0, 255) }], Value: r.value! / 1000, Unit: 'Seconds' as const, Timestamp: timestamp })),
    ...(checks > 0 ? [{ MetricName: QUALITY_METRIC.passRate, Dimensions: byProduct, Value: (100 * report.summary.passed) / checks, Unit: 'Percent' as const, Timestamp: timestamp }] : []),
    { MetricName: QUALITY_METRIC.rowsScanned, Dimensions: byProduct, Value: report.rowsScanned, Unit: 'Count', Timestamp: timestamp },
  ];
}

export const handler = middy<EvaluateInput, RunSummary>()
  .use(observed())
  .use(validateInput(evaluateInput))
  .handler((event) => evaluateRun(event, { ...awsClients(), runsTable: requireEnv('RUNS_TABLE'), eventBusName: requireEnv('EVENT_BUS_NAME') }));
