/**
 * The OpenLineage HTTP sink: each event is POSTed as JSON to the endpoint configured in the mesh
 * (`governance.lineage.openLineageUrl`), e.g. Marquez's `/api/v1/lineage`. The path is the
 * OpenLineage API's `POST /lineage` ("Send an event related to the state of a run, job, or a
 * dataset", spec/OpenLineage.yml in the OpenLineage repository) under the server's base URL.
 *
 * Anything but a 2xx is an error, so the message is retried by SQS and dead-lettered after its
 * receives; a sink is idempotent by the event's run id, so a retry after a lost answer is harmless.
 */
import { PACKED_MESSAGE_KEY, unpackEvents } from '../../lib/lineage/openlineage/pack.js';
import type { SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import type { Context } from 'aws-lambda';
import { logger } from '../shared/powertools.js';

export interface HttpSinkOptions {
  readonly url: string;
  /** @default 10 s: the queue's visibility timeout must exceed it. */
  readonly timeoutMs?: number;
}

export async function postLineageEvent(eventJson: string, options: HttpSinkOptions): Promise<void> {
  let response: Response;
  try {
    response = await fetch(options.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: eventJson, signal: AbortSignal.timeout(options.timeoutMs ?? 10_000) });
  } catch (e) {
    throw new Error(`POST ${options.url} failed: ${(e as Error).message}`);
  }
  if (response.ok) return;
  const body = (await response.text()).slice(0, 300);
  throw new Error(`POST ${options.url} answered ${response.status} ${response.statusText}${body ? `: ${body}` : ''}`);
}

/**
 * A message's events: the message itself (the ingest sends one event per message), or the packed
 * events of the mesh's structure the governance stack sends in one (`{"tesseraLineageEvents": ...}`).
 */
export function eventsOf(body: string): string[] {
  const parsed = JSON.parse(body) as Record<string, unknown>;
  const packed = parsed[PACKED_MESSAGE_KEY];
  return typeof packed === 'string' ? unpackEvents(packed).map((e) => JSON.stringify(e)) : [body];
}

/** One SQS batch, each message an OpenLineage event or a packed list of them; failures are reported per message. */
export async function sinkBatch(event: SQSEvent, options: HttpSinkOptions, context: Context): Promise<SQSBatchResponse> {
  const handle = async (record: SQSRecord): Promise<void> => {
    try {
      for (const eventJson of eventsOf(record.body)) await postLineageEvent(eventJson, options);
    } catch (e) {
      logger.warn('lineage event not delivered; SQS will redeliver it (DLQ after its receives)', { messageId: record.messageId, error: e as Error });
      throw e;
    }
  };
  return processPartialResponse(event, handle, new BatchProcessor(EventType.SQS), { context, throwOnFullBatchFailure: false });
}
