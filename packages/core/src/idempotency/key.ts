import { createHash } from 'node:crypto';
import * as z from 'zod/mini';
import { parseInput } from '../validation.ts';

export const IdempotencyKeySchema = z
  .string()
  .check(z.regex(/^[A-Za-z0-9_.:-]{1,128}$/, 'must be 1-128 characters of letters, digits and _.:-'));

/** JSON with object keys sorted at every depth: equal values give equal text, whatever the key order. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, inner: unknown) => {
    if (inner === null || typeof inner !== 'object' || Array.isArray(inner)) return inner;
    const entries = Object.entries(inner as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : 1));
    return Object.fromEntries(entries);
  });
}

export function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/** What a stored record is compared against: the same key with another fingerprint is a reused key. */
export function requestFingerprint(operation: string, payload: unknown): string {
  return sha256(canonicalJson({ operation, payload }));
}

/** A key derived from the request itself, for callers that send none: equal requests share one key. */
export function generateIdempotencyKey(operation: string, userId: string, payload: unknown): string {
  return sha256(canonicalJson({ operation, userId, payload }));
}

export function validateIdempotencyKey(key: unknown): string {
  return parseInput(IdempotencyKeySchema, key);
}
