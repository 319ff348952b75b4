import { TaskTrackerError } from '@tasktracker/core';
import * as z from 'zod/mini';

/** Path ids are checked for shape by the services: a malformed id is simply not found (404). */
export const IdParamsSchema = z.object({ id: z.string().check(z.minLength(1), z.maxLength(128)) });

/** A version as If-Match names it: 3, "3" or W/"3" (no leading zeros; versions start at 1). */
export const VERSION_TAG = /^(?:W\/)?"?([1-9]\d{0,8})"?$/;

/**
 * The version an `If-Match` header names: `"3"`, `W/"3"` or `3`. `*` means "any version", the same as
 * no header. Anything else is a 400, never silently ignored.
 */
export function versionFromIfMatch(headers: Record<string, string>): number | undefined {
  const value = headers['if-match']?.trim();
  if (value === undefined || value === '*') return undefined;
  const match = VERSION_TAG.exec(value);
  const version = match ? Number(match[1]) : 0;
  if (version < 1) {
    throw new TaskTrackerError('VALIDATION_ERROR', 'If-Match: must be a version number such as "3"', [
      { path: ['headers', 'If-Match'], message: 'must be a version number such as "3"' },
    ]);
  }
  return version;
}

/** One expected version from the body and the header; both may be given only if they agree. */
export function expectedVersionOf(fromBody: number | undefined, headers: Record<string, string>) {
  const fromHeader = versionFromIfMatch(headers);
  if (fromBody !== undefined && fromHeader !== undefined && fromBody !== fromHeader) {
    throw new TaskTrackerError('VALIDATION_ERROR', 'expectedVersion and If-Match disagree', [
      { path: ['expectedVersion'], message: `is ${fromBody} but If-Match says ${fromHeader}` },
    ]);
  }
  return fromBody ?? fromHeader;
}
