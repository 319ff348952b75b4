import * as z from 'zod/mini';
import { TaskTrackerError } from '../errors.ts';

/**
 * Cursors are opaque to callers: base64url of the key to resume after, plus a fingerprint of the user
 * and query they were issued for. A cursor is honoured only for the same user and the same query, and
 * only if its key lies in that user's partition; anything else is INVALID_CURSOR.
 */
const CursorSchema = z.strictObject({
  v: z.literal(1),
  f: z.string().check(z.length(24)),
  k: z.record(z.string(), z.string().check(z.minLength(1), z.maxLength(512))),
});

export type StartKey = Record<string, string>;

export function encodeCursor(key: StartKey, fingerprint: string): string {
  return Buffer.from(JSON.stringify({ v: 1, f: fingerprint, k: key })).toString('base64url');
}

const invalid = (why: string) =>
  new TaskTrackerError('INVALID_CURSOR', `The cursor is not valid for this query (${why})`);

export function decodeCursor(
  cursor: string,
  expected: { fingerprint: string; keyAttributes: readonly string[]; fixed: Record<string, string> },
): StartKey {
  let decoded: unknown;
  try {
    decoded = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw invalid('not a cursor');
  }
  const parsed = CursorSchema.safeParse(decoded);
  if (!parsed.success) throw invalid('not a cursor');
  if (parsed.data.f !== expected.fingerprint) throw invalid('issued for another user or query');
  const key = parsed.data.k;
  const names = Object.keys(key).sort();
  if (names.join() !== [...expected.keyAttributes].sort().join()) throw invalid('wrong key');
  for (const [name, value] of Object.entries(expected.fixed)) {
    if (key[name] !== value) throw invalid('issued for another user or query');
  }
  return key;
}
