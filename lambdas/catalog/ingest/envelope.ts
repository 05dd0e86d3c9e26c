/**
 * The EventBridge envelope of every catalog message, with Powertools Parser's schema of an
 * EventBridge event (version, id, source, account, time, region, resources, detail-type, detail),
 * held tighter where the catalog relies on a field.
 */
import { EventBridgeSchema } from '@aws-lambda-powertools/parser/schemas/eventbridge';
import { z } from 'zod';
import { issuesOf, PermanentError } from '../../../lib/catalog/ingest-errors.js';

export const catalogEnvelope = EventBridgeSchema.extend({
  id: z.string().min(1),
  /** Set by EventBridge to the account that put the event: the one field a publisher cannot forge. */
  account: z.string().regex(/^\d{12}$/, 'must be a 12-digit AWS account id'),
  'detail-type': z.string().min(1),
  source: z.string().min(1),
  detail: z.record(z.string(), z.unknown()),
});
export type Envelope = z.infer<typeof catalogEnvelope>;

/** The envelope of an SQS message body; a `PermanentError` when it is not one. */
export function envelopeOf(body: string): Envelope {
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch (e) {
    throw new PermanentError(`the message body is not JSON: ${(e as Error).message}`, 'invalid-json');
  }
  const envelope = catalogEnvelope.safeParse(json);
  if (!envelope.success) throw new PermanentError(`the message is not an EventBridge event: ${issuesOf(envelope.error, '')}`, 'invalid-envelope');
  return envelope.data;
}

export const utc = (instant: string): string => new Date(instant).toISOString();
