/**
 * Opaque pagination cursors. A cursor is `<payload>.<tag>`, both base64url: the payload is a small
 * JSON position (an offset into ranked results or the last key read), the tag an HMAC-SHA256 over the
 * payload and the request it belongs to (route and every other parameter). A cursor that was edited,
 * truncated or reused with another query fails the tag check and is refused (400), so the position is
 * never trusted blindly. The key protects integrity, not secrecy: the position is not secret. Unless
 * CATALOG_CURSOR_KEY is set, the key is derived from the mesh's name, which callers can know; so the
 * store also checks that a cursor's key lies in the list it is used for (a forged one gets a 400),
 * and a forged cursor can only move within data its caller may read anyway.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';

const payloadSchema = z.strictObject({
  /** Format version. */
  v: z.literal(1),
  /** Offset into ranked results. */
  o: z.number().int().min(0).max(1_000_000).optional(),
  /** The sort key of the last item of the previous page. */
  k: z.string().min(1).max(1024).optional(),
});
export type CursorPosition = Omit<z.infer<typeof payloadSchema>, 'v'>;

/** The signing key when CATALOG_CURSOR_KEY is not set: derived from the mesh name (see above). */
export function defaultCursorKey(mesh: string): string {
  return `tessera-catalog/${mesh}`;
}

export class CursorError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CursorError';
  }
}

const TAG_BYTES = 16;

export function encodeCursor(position: CursorPosition, binding: string, key: string): string {
  const payload = Buffer.from(JSON.stringify({ v: 1, ...position })).toString('base64url');
  return `${payload}.${tag(payload, binding, key).toString('base64url')}`;
}

/** The position of a cursor issued for the same `binding`; throws `CursorError` otherwise. */
export function decodeCursor(cursor: string, binding: string, key: string): CursorPosition {
  const parts = cursor.split('.');
  if (parts.length !== 2 || !/^[A-Za-z0-9_-]+$/.test(parts[0]!) || !/^[A-Za-z0-9_-]+$/.test(parts[1]!)) {
    throw new CursorError('is not a cursor this API issued (use the `next` value of the previous page as it is)');
  }
  const [payload, given] = parts as [string, string];
  const expected = tag(payload, binding, key);
  const actual = Buffer.from(given, 'base64url');
  if (actual.length !== expected.length || !timingSafeEqual(actual, expected)) {
    throw new CursorError('was altered or belongs to another query; repeat the request without cursor and follow `next`');
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
  } catch {
    throw new CursorError('is not a cursor this API issued');
  }
  const position = payloadSchema.safeParse(parsed);
  if (!position.success) throw new CursorError('is not a cursor this API issued');
  const { v: _v, ...rest } = position.data;
  return rest;
}

function tag(payload: string, binding: string, key: string): Buffer {
  return createHmac('sha256', key).update(`${payload}\n${binding}`).digest().subarray(0, TAG_BYTES);
}
