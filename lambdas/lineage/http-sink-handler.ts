/**
 * The OpenLineage HTTP sink Lambda: its SQS queue holds the catalog's lineage events (with a
 * dead-letter queue), and `http-sink.ts` POSTs each to `OPENLINEAGE_URL`.
 */
import middy from '@middy/core';
import { SqsSchema } from '@aws-lambda-powertools/parser/schemas/sqs';
import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { requireEnv, validateInput } from '../shared/input.js';
import { observed } from '../shared/powertools.js';
import { sinkBatch } from './http-sink.js';

export const handler = middy<SQSEvent, SQSBatchResponse>()
  .use(observed())
  .use(validateInput(SqsSchema))
  .handler((event, context) => sinkBatch(event, { url: requireEnv('OPENLINEAGE_URL') }, context));
