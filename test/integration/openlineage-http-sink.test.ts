/**
 * The OpenLineage HTTP sink against a real HTTP server started here (node:http): what arrives is the
 * event as sent, a 5xx or an unreachable server fails just that message (SQS retries it, then the DLQ).
 */
import { gzipSync } from 'node:zlib';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { SQSEvent } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { localContext } from '../../lambdas/catalog/local.js';
import { postLineageEvent, sinkBatch } from '../../lambdas/lineage/http-sink.js';

vi.hoisted(() => {
  process.env.POWERTOOLS_LOG_LEVEL = 'SILENT';
});

const received: { method: string; path: string; type: string; body: unknown }[] = [];
let server: Server;
let base: string;

const read = async (req: IncomingMessage): Promise<string> => {
  let text = '';
  for await (const chunk of req) text += String(chunk);
  return text;
};

beforeAll(async () => {
  server = createServer((req, res) => {
    void read(req).then((text) => {
      const body = JSON.parse(text) as { job: { name: string } };
      received.push({ method: req.method!, path: req.url!, type: req.headers['content-type'] ?? '', body });
      // Marquez answers 201 Created; a job named `broken` gets a server error.
      res.writeHead(body.job.name === 'broken' ? 503 : 201).end(body.job.name === 'broken' ? 'unavailable' : '');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
});

const event = (job: string) => JSON.stringify({ eventType: 'COMPLETE', eventTime: '2026-12-01T00:00:00.000Z', run: { runId: '0b5c4a52-3f8e-4c1a-9d0e-5c1f2b3a4d5e' }, job: { namespace: 'tessera://shop', name: job } });
const sqs = (...bodies: string[]): SQSEvent => ({
  Records: bodies.map((body, i) => ({
    messageId: `m${i}`,
    receiptHandle: `r${i}`,
    body,
    attributes: { ApproximateReceiveCount: '1', SentTimestamp: '0', SenderId: 'x', ApproximateFirstReceiveTimestamp: '0' },
    messageAttributes: {},
    md5OfBody: '',
    eventSource: 'aws:sqs',
    eventSourceARN: 'arn:aws:sqs:eu-west-1:123456789012:lineage',
    awsRegion: 'eu-west-1',
  })),
});

describe('OpenLineage HTTP sink', () => {
  it('POSTs the event as JSON to the endpoint', async () => {
    received.length = 0;
    await postLineageEvent(event('orders.publish'), { url: `${base}/api/v1/lineage` });
    expect(received).toEqual([{ method: 'POST', path: '/api/v1/lineage', type: 'application/json', body: JSON.parse(event('orders.publish')) as unknown }]);
  });

  it('fails on a non-2xx answer, naming the status and what the server said', async () => {
    await expect(postLineageEvent(event('broken'), { url: `${base}/api/v1/lineage` })).rejects.toThrow(/answered 503 Service Unavailable: unavailable/);
  });

  it('fails when the server cannot be reached', async () => {
    await expect(postLineageEvent(event('x'), { url: 'http://127.0.0.1:1/api/v1/lineage', timeoutMs: 2000 })).rejects.toThrow(/POST http:\/\/127.0.0.1:1\/api\/v1\/lineage failed/);
  });

  it('reports only the failed messages of a batch, for SQS to redeliver', async () => {
    received.length = 0;
    const response = await sinkBatch(sqs(event('a'), event('broken'), event('b')), { url: `${base}/api/v1/lineage` }, localContext('lineage-sink'));
    expect(response).toEqual({ batchItemFailures: [{ itemIdentifier: 'm1' }] });
    expect(received.map((r) => (r.body as { job: { name: string } }).job.name).sort()).toEqual(['a', 'b', 'broken']);
  });

  it("POSTs each event of the governance stack's packed message, one request per event", async () => {
    received.length = 0;
    // Packed here with node:zlib as the construct's message carries them: gzipped JSON, base64.
    const packed = gzipSync(JSON.stringify([JSON.parse(event('view.one')), JSON.parse(event('view.two'))])).toString('base64');
    const response = await sinkBatch(sqs(JSON.stringify({ tesseraLineageEvents: packed })), { url: `${base}/api/v1/lineage` }, localContext('lineage-sink'));
    expect(response).toEqual({ batchItemFailures: [] });
    expect(received.map((r) => (r.body as { job: { name: string } }).job.name)).toEqual(['view.one', 'view.two']);
  });
});
