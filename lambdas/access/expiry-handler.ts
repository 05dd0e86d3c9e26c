/**
 * The target of each request's one-time EventBridge Scheduler schedule: ends the grant whose time
 * is up. Idempotent: the scheduler retries, and a request revoked meanwhile is left as it is.
 */
import middy from '@middy/core';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { z } from 'zod';
import { REQUEST_ID } from '../../lib/access/requests/api-schema.js';
import { validateInput } from '../shared/input.js';
import { logger } from '../shared/powertools.js';
import { awsAccessDeps } from './api-handler.js';
import type { AccessDeps } from './ports.js';
import { expireAccessRequest } from './service.js';

export const expiryEvent = z.strictObject({ requestId: z.string().regex(REQUEST_ID) });
export type ExpiryInput = z.infer<typeof expiryEvent>;

export function createExpiryHandler(resolveDeps: () => AccessDeps) {
  return middy<ExpiryInput, { requestId: string; state: string | null }>()
    .use(injectLambdaContext(logger, { clearState: true }))
    .use(validateInput(expiryEvent) as middy.MiddlewareObj<ExpiryInput, { requestId: string; state: string | null }>)
    .handler(async (event) => {
      const request = await expireAccessRequest(event.requestId, resolveDeps());
      return { requestId: event.requestId, state: request?.state ?? null };
    });
}

let deps: AccessDeps | undefined;
export const handler = createExpiryHandler(() => (deps ??= awsAccessDeps()));
