/**
 * One SQS batch, through Powertools' BatchProcessor with partial batch responses (the event source
 * mapping reports batch item failures: constructs/catalog-service.ts):
 *
 * - a message that can never succeed (a `PermanentError`: not JSON, not an EventBridge envelope, an
 *   unknown source or detail-type, a detail failing its schema, another mesh, an unauthorized
 *   publisher) is dropped: logged as an error naming the field and counted. Retrying it would only
 *   delay the DLQ and hide it among real failures;
 * - anything else (AWS errors, a contract object not readable yet, contention, bugs) is thrown to the
 *   processor, which reports it in `batchItemFailures`, so SQS redelivers it after the visibility
 *   timeout and moves it to the DLQ after 5 receives. Redriving the DLQ is safe: every step is
 *   idempotent.
 *
 * BatchProcessor's own `schema` option is not used: a record failing it counts as a failure to
 * retry, where a malformed message must be dropped.
 */
import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { PermanentError } from '../../../lib/catalog/ingest-errors.js';
import { logger } from '../../shared/powertools.js';
import type { IngestDeps } from './deps.js';
import { ingestMessage } from './message.js';

export async function ingestBatch(event: SQSEvent, deps: IngestDeps, context: Context): Promise<SQSBatchResponse> {
  const processor = new BatchProcessor(EventType.SQS);
  const handleRecord = async (record: SQSRecord): Promise<void> => {
    try {
      const outcome = await ingestMessage(record.body, deps);
      logger.info('catalog message handled', { messageId: record.messageId, outcome });
    } catch (e) {
      if (!(e instanceof PermanentError)) {
        logger.warn('catalog message failed; SQS will redeliver it (DLQ after 5 receives)', { messageId: record.messageId, error: e as Error });
        throw e;
      }
      logger.error('catalog message dropped: it can never be processed', { messageId: record.messageId, kind: e.kind, reason: e.message });
      deps.telemetry?.dropped(e.kind);
    } finally {
      // Set per message (ingest/publish.ts); the next message in the batch has its own.
      logger.removeKeys(['correlationId']);
    }
  };
  return processPartialResponse(event, handleRecord, processor, {
    context,
    // In order, one at a time: two messages of one product in a batch never race each other.
    processInParallel: false,
    // A batch that failed whole is answered like any other (every id in batchItemFailures), not
    // thrown: SQS redelivers the same messages either way, and the ingest's error alarm stays for bugs.
    throwOnFullBatchFailure: false,
  });
}
