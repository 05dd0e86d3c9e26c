/** What the ingest's steps share: their dependencies (ports), outcomes, and recording a refusal. */
import { GetObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { SendMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { ContractLocation, Rejection } from '../../../lib/catalog/api-schema.js';
import { logger } from '../../shared/powertools.js';
import type { RunEvent } from '../../../lib/lineage/openlineage/run-event.js';
import type { CatalogStore } from '../store.js';

/** Reads a contract's text from where a publication says it is. */
export type ContractReader = (location: ContractLocation) => Promise<string>;

export function s3ContractReader(s3: S3Client): ContractReader {
  return async (location) => {
    // ExpectedBucketOwner: the object must live in the account the event names, not a look-alike bucket.
    const object = await s3.send(new GetObjectCommand({ Bucket: location.bucket, Key: location.key, ExpectedBucketOwner: location.account }));
    if (!object.Body) throw new Error(`s3://${location.bucket}/${location.key} has no body`);
    return object.Body.transformToString('utf-8');
  };
}

/** Sends each event as one message to the sink queue at `queueUrl`. */
export function sqsLineageForwarder(sqs: SQSClient, queueUrl: string): (event: RunEvent) => Promise<void> {
  return async (event) => {
    await sqs.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: JSON.stringify(event) }));
  };
}

/** What the ingest counts; `ingest/metrics.ts` publishes it as CloudWatch metrics. */
export interface IngestTelemetry {
  published(product: string, domain: string): void;
  refused(product: string, domain: string | undefined, kind: string): void;
  qualityRecorded(product: string, domain: string | undefined): void;
  /** The trust score recomputed after a quality run (the mesh dashboard graphs it). */
  trust?(product: string, domain: string | undefined, score: number): void;
  dropped(kind: string): void;
}

export interface IngestDeps {
  readonly store: CatalogStore;
  readonly readContract: ContractReader;
  /** The mesh this catalog serves; events of other meshes are dropped. */
  readonly mesh: string;
  /** The clock for `changedAt`. @default Date.now */
  readonly now?: () => Date;
  /** @default nothing is counted */
  readonly telemetry?: IngestTelemetry;
  /**
   * Sends a stored lineage event on to the optional sinks (the OpenLineage HTTP sink's queue).
   * @default - the catalog's own store only
   */
  readonly forwardLineage?: (event: RunEvent) => Promise<void>;
}

export type IngestOutcome = 'published' | 'duplicate' | 'rejected' | 'quality-recorded' | 'quality-duplicate';

/** Records a refusal on the product's page (the API shows it), logs and counts it. */
export async function recordRejection(deps: IngestDeps, rejection: Omit<Rejection, 'location'> & { location?: ContractLocation }, domain?: string): Promise<'rejected'> {
  await deps.store.putRejection(rejection);
  const { message, ...details } = rejection;
  logger.error('catalog publication refused', { ...details, reason: message });
  deps.telemetry?.refused(rejection.product, domain, rejection.kind);
  return 'rejected';
}
