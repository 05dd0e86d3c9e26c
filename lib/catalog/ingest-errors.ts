/**
 * How the catalog ingest tells a message to drop from a message to retry: `PermanentError` is one
 * that retrying cannot fix (malformed, unauthorized, another mesh); anything else is retried by SQS.
 */
import type { z } from 'zod';

/** A message that retrying cannot fix; `kind` names the reason in logs and metrics. */
export class PermanentError extends Error {
  constructor(
    message: string,
    readonly kind: string,
  ) {
    super(message);
    this.name = 'PermanentError';
  }
}

/** Every issue of a zod error as `path: message`, the path under `prefix` (e.g. `detail.location.key`). */
export function issuesOf(error: z.ZodError, prefix: string): string {
  return error.issues.map((i) => `${[prefix, ...i.path.map(String)].filter(Boolean).join('.')}: ${i.message}`).join('; ');
}
