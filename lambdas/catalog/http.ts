/**
 * HTTP edge of the catalog API: errors that say what was wrong and where (4xx), a generic 500 for
 * everything unexpected (details go to the log only), and JSON responses.
 */
import type middy from '@middy/core';
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import type { ApiErrorBody, ApiErrorCode } from '../../lib/catalog/api-schema.js';
import { logger } from '../shared/powertools.js';
import { CursorError } from '../../lib/catalog/cursor.js';

export class HttpError extends Error {
  constructor(
    readonly statusCode: number,
    readonly code: ApiErrorCode,
    message: string,
    readonly headers: Readonly<Record<string, string>> = {},
  ) {
    super(message);
    this.name = 'HttpError';
  }
}

const JSON_HEADERS = { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store', 'x-content-type-options': 'nosniff' };

export function jsonResponse(statusCode: number, body: unknown, headers: Readonly<Record<string, string>> = {}): APIGatewayProxyResult {
  return { statusCode, headers: { ...JSON_HEADERS, ...headers }, body: JSON.stringify(body) };
}

export function errorResponse(statusCode: number, error: ApiErrorBody, headers: Readonly<Record<string, string>> = {}): APIGatewayProxyResult {
  return jsonResponse(statusCode, error, headers);
}

/** Turns `HttpError` into its response, and anything else into a 500 that discloses nothing. */
export function httpErrors(): middy.MiddlewareObj<APIGatewayProxyEvent, APIGatewayProxyResult> {
  return {
    onError: (request) => {
      const thrown = request.error;
      // A cursor whose position the store cannot use (signed with a key someone else knows, or from another list).
      const error = thrown instanceof CursorError ? new HttpError(400, 'InvalidCursor', `query parameter 'cursor' ${thrown.message}`) : thrown;
      if (error instanceof HttpError) {
        logger.info('request refused', { statusCode: error.statusCode, error: error.code, reason: error.message });
        request.response = errorResponse(error.statusCode, { error: error.code, message: error.message }, error.headers);
        return;
      }
      logger.error('request failed', { error: error as Error, path: request.event?.path, requestId: request.context?.awsRequestId });
      request.response = errorResponse(500, { error: 'InternalError', message: `the catalog could not answer; try again later${request.context?.awsRequestId ? ` (request id ${request.context.awsRequestId})` : ''}` });
    },
  };
}
