/**
 * Input validation at the edge of every handler: a middy middleware that parses the event with a
 * zod schema and turns a mismatch into an `InputError` naming each bad field.
 */
import type middy from '@middy/core';
import type { z } from 'zod';

export class InputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InputError';
  }
}

export function validateInput<S extends z.ZodType>(schema: S): middy.MiddlewareObj<unknown, unknown> {
  return {
    before: (request) => {
      const parsed = schema.safeParse(request.event);
      if (!parsed.success) {
        const problems = parsed.error.issues.map((i) => `${i.path.join('.') || '(event)'}: ${i.message}`);
        throw new InputError(`invalid input: ${problems.join('; ')}`);
      }
      request.event = parsed.data;
    },
  };
}

export function requireEnv(name: string): string {
  const value = process.env[name];
  if (value === undefined || value === '') throw new Error(`${name} environment variable is not set`);
  return value;
}
