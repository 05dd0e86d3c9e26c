/**
 * The catalog's ingest Lambda: an SQS queue (subscribed to the mesh's central bus for
 * `tessera.catalog` and `tessera.quality` events, with a dead-letter queue after 5 receives)
 * delivers EventBridge envelopes in batches. This file only wires the parts in `ingest/`:
 *
 * - `batch.ts`: the SQS batch (Powertools BatchProcessor, partial batch responses, which messages are
 *   dropped and which retried);
 * - `message.ts`, `envelope.ts`: one message's EventBridge envelope (Powertools Parser's schema),
 *   routed to `publish.ts` (`ContractPublished`) or `quality.ts` (`tessera.quality`);
 * - who may publish what: lib/catalog/publisher-authorization.ts; whether a contract is the one
 *   announced: lib/catalog/contract-verification.ts;
 * - diff reconciliation (each version against the one below it, whatever the arrival order):
 *   `reconcile-diffs.ts` over lib/catalog/diff-reconciliation.ts;
 * - trust: `summary.ts` recomputes the product's summary and trust (lib/catalog/trust.ts);
 * - `metrics.ts`: the counts as `Tessera/Catalog` metrics per domain and product.
 */
import middy from '@middy/core';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import { MetricUnit, type Metrics } from '@aws-lambda-powertools/metrics';
import { SqsSchema } from '@aws-lambda-powertools/parser/schemas/sqs';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { S3Client } from '@aws-sdk/client-s3';
import { SQSClient } from '@aws-sdk/client-sqs';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { CATALOG_METRIC, CATALOG_METRIC_NAMESPACE } from '../../lib/catalog/telemetry.js';
import { requireEnv, validateInput } from '../shared/input.js';
import { metricsIn, observed, tracer } from '../shared/powertools.js';
import { DynamoCatalogStore } from './dynamo-store.js';
import { ingestBatch } from './ingest/batch.js';
import { s3ContractReader, sqsLineageForwarder, type IngestDeps } from './ingest/deps.js';
import { metricsTelemetry } from './ingest/metrics.js';

interface AwsClients {
  readonly s3: S3Client;
  readonly dynamo: DynamoDBDocumentClient;
  readonly sqs: SQSClient;
}
let clients: AwsClients | undefined;
/** Created at the first event, not at import: the environment is read then. */
function awsClients(): AwsClients {
  clients ??= {
    s3: tracer.captureAWSv3Client(new S3Client({ forcePathStyle: process.env.AWS_ENDPOINT_URL !== undefined })),
    dynamo: DynamoDBDocumentClient.from(tracer.captureAWSv3Client(new DynamoDBClient({})), { marshallOptions: { removeUndefinedValues: true } }),
    sqs: tracer.captureAWSv3Client(new SQSClient({})),
  };
  return clients;
}
const metrics = metricsIn(CATALOG_METRIC_NAMESPACE);

/**
 * The ingest's middy chain over any store and reader: AWS below, in-memory ones in tests and demos.
 * With `metrics`, the batch's counts are published (the CLI and the demo pass none: EMF would print
 * to their stdout).
 */
export function createIngestHandler(resolveDeps: () => IngestDeps, metrics?: Metrics) {
  const chain = middy<SQSEvent, SQSBatchResponse>().use(observed());
  if (metrics) chain.use(logMetrics(metrics));
  return chain.use(validateInput(SqsSchema)).handler(async (event, context) => {
    const response = await ingestBatch(event, resolveDeps(), context);
    metrics?.addMetric(CATALOG_METRIC.messagesRetried, MetricUnit.Count, response.batchItemFailures.length);
    return response;
  });
}

export const handler = createIngestHandler(() => ({
  store: new DynamoCatalogStore(awsClients().dynamo, requireEnv('CATALOG_TABLE')),
  readContract: s3ContractReader(awsClients().s3),
  mesh: requireEnv('MESH_NAME'),
  telemetry: metricsTelemetry(metrics),
  // Set by CatalogService when the mesh configures an OpenLineage HTTP sink.
  forwardLineage: process.env.LINEAGE_QUEUE_URL ? sqsLineageForwarder(awsClients().sqs, process.env.LINEAGE_QUEUE_URL) : undefined,
}), metrics);
