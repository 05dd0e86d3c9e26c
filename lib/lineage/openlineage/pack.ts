/**
 * The mesh's structural OpenLineage events as one compact text: JSON, gzipped, base64. The governance
 * stack writes them as one catalog item (and one sink message) instead of one custom resource per
 * event, which grew the stack by two resources per view and per product with input ports (four with
 * the HTTP sink) and passed CloudFormation's 500 at about 100 domains. The events are repetitive
 * (same namespaces, facets, schema URLs): 143 KB of JSON for 100 events packs into 5 KB, 500 events
 * into 23 KB, well inside DynamoDB's 400 KB item and SQS's 256 KB message.
 */
import { gunzipSync, gzipSync } from 'node:zlib';
import type { RunEvent } from './run-event.js';

export function packEvents(events: readonly RunEvent[]): string {
  return gzipSync(JSON.stringify(events), { level: 9 }).toString('base64');
}

export function unpackEvents(packed: string): RunEvent[] {
  return JSON.parse(gunzipSync(Buffer.from(packed, 'base64')).toString('utf8')) as RunEvent[];
}

/** An SQS message carrying several events: `{"tesseraLineageEvents": "<packed>"}`. */
export const PACKED_MESSAGE_KEY = 'tesseraLineageEvents';
