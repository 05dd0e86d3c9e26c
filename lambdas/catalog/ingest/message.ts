/** One SQS message: its EventBridge envelope, routed by source and detail-type. */
import { PermanentError } from '../../../lib/catalog/ingest-errors.js';
import { PUBLICATION_DETAIL_TYPE, PUBLICATION_SOURCE, QUALITY_DETAIL_TYPE, QUALITY_SOURCE } from '../../../lib/catalog/publication.js';
import type { IngestDeps, IngestOutcome } from './deps.js';
import { envelopeOf } from './envelope.js';
import { publish } from './publish.js';
import { recordQuality } from './quality.js';

/** Handles one SQS message body. Throws `PermanentError` for a message to drop, anything else to retry. */
export async function ingestMessage(body: string, deps: IngestDeps): Promise<IngestOutcome> {
  const event = envelopeOf(body);
  if (event.source === PUBLICATION_SOURCE && event['detail-type'] === PUBLICATION_DETAIL_TYPE) return publish(event, deps);
  if (event.source === QUALITY_SOURCE && event['detail-type'] === QUALITY_DETAIL_TYPE) return recordQuality(event, deps);
  throw new PermanentError(
    `source: '${event.source}' with detail-type '${event['detail-type']}' is not an event the catalog consumes (${PUBLICATION_SOURCE}/${PUBLICATION_DETAIL_TYPE} or ${QUALITY_SOURCE}/${QUALITY_DETAIL_TYPE})`,
    'unknown-source',
  );
}
