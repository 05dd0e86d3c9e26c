/**
 * Step 1 of a quality run (Step Functions): plan the checks of one product and compile them to
 * Athena statements, which the state machine runs with the `.sync` integration.
 */
import middy from '@middy/core';
import { S3Client } from '@aws-sdk/client-s3';
import { z } from 'zod';
import { compilePlan } from '../../lib/quality/compile.js';
import { athena } from '../../lib/quality/dialects.js';
import { planQuality } from '../../lib/quality/plan.js';
import { validateInput } from '../shared/input.js';
import { logger, observed, tracer } from '../shared/powertools.js';
import { readDeployedContract } from './contract-source.js';

// Created at the first event, not at import: the environment is read then, and importing the
// module (cold start, the evaluate bundle that imports its schema, tests) builds no client.
let s3: S3Client | undefined;
function s3Client(): S3Client {
  s3 ??= tracer.captureAWSv3Client(new S3Client({ forcePathStyle: process.env.AWS_ENDPOINT_URL !== undefined }));
  return s3;
}

export const qualityRunInput = z.object({
  product: z.string().min(1),
  contractBucket: z.string().min(1),
  contractKey: z.string().min(1),
  database: z.string().regex(/^[a-z0-9_]+$/, 'a Glue database name'),
  /** The run's moment (ISO 8601); the state machine passes its start time. */
  now: z.iso.datetime({ offset: true }),
});
export type QualityRunInput = z.infer<typeof qualityRunInput>;

export interface PlannedRun extends QualityRunInput {
  readonly version: string;
  readonly statements: readonly { readonly id: string; readonly kind: string; readonly sql: string }[];
  readonly skipped: number;
}

export async function planRun(input: QualityRunInput, deps: { s3: S3Client }): Promise<PlannedRun> {
  const contract = await readDeployedContract(deps.s3, input.contractBucket, input.contractKey);
  if (contract.id !== input.product) throw new Error(`the contract at ${input.contractKey} is product '${contract.id}', not '${input.product}'`);
  const plan = planQuality(contract);
  const statements = compilePlan(plan, athena, { database: input.database, asOf: input.now.slice(0, 10) });
  logger.info('planned quality run', { product: input.product, version: contract.version, statements: statements.length });
  return { ...input, version: contract.version, statements: statements.map((s) => ({ id: s.id, kind: s.kind, sql: s.sql })), skipped: plan.skipped.length };
}

export const handler = middy<QualityRunInput, PlannedRun>()
  .use(observed())
  .use(validateInput(qualityRunInput))
  .handler((event) => planRun(event, { s3: s3Client() }));
