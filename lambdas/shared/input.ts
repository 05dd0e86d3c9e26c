/**
 * Input validation at the edge of every handler: Powertools' Parser middleware parses the event with
 * a zod schema (the handler's own, or Parser's schema of an AWS event such as `SqsSchema`), and a
 * mismatch becomes an `InputError` naming each bad field. Parser's own `ParseError` says only
 * "Failed to parse schema" and keeps the issues in `cause`; the log and the caller need them.
 */
import type middy from '@middy/core';
import { ParseError } from '@aws-lambda-powertools/parser';
import { parser } from '@aws-lambda-powertools/parser/middleware';
import type { z } from 'zod';

export class InputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InputError';
  }
}

type Issue = { readonly message: string; readonly path?: readonly (PropertyKey | { readonly key: PropertyKey })[] };

function problemsOf(issues: readonly Issue[]): string {
  return issues.map((i) => `${(i.path ?? []).map((p) => String(typeof p === 'object' ? p.key : p)).join('.') || '(event)'}: ${i.message}`).join('; ');
}

export function validateInput<S extends z.ZodType>(schema: S): middy.MiddlewareObj<unknown, unknown> {
  const parse = parser({ schema });
  return {
    before: parse.before,
    onError: (request) => {
      const error = request.error;
      if (error instanceof ParseError && Array.isArray(error.cause)) request.error = new InputError(`invalid input: ${problemsOf(error.cause as Issue[])}`);
    },
  };
}

export function requireEnv(name: string): string {
  const value = process.env[name];
  if (value === undefined || value === '') throw new Error(`${name} environment variable is not set`);
  return value;
}
