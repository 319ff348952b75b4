import * as z from 'zod/mini';
import en from 'zod/v4/locales/en.js';
import { type ErrorDetail, TaskTrackerError } from './errors.ts';

/**
 * Our schemas use zod/mini, which loads no locale (most of its saving in a Lambda bundle): its default
 * message is "Invalid input". Every parse that shows messages to people goes through here, in English.
 */
const ENGLISH = { error: en().localeError };

/** safeParse with English messages; works for any zod 4 schema (mini or classic). */
export function safeParse<S extends z.core.$ZodType>(schema: S, input: unknown) {
  return z.safeParse(schema, input, ENGLISH);
}

/** Parses input with a schema; failure is a VALIDATION_ERROR listing every offending path. */
export function parseInput<S extends z.core.$ZodType>(schema: S, input: unknown): z.output<S> {
  const result = safeParse(schema, input);
  if (result.success) return result.data;
  const details: ErrorDetail[] = result.error.issues.map((issue) => ({
    path: issue.path.map((part) => (typeof part === 'symbol' ? String(part) : part)),
    message: issue.message,
  }));
  const first = details[0];
  const where = first && first.path.length > 0 ? `${first.path.join('.')}: ` : '';
  throw new TaskTrackerError('VALIDATION_ERROR', `${where}${first?.message ?? 'invalid input'}`, details);
}

/** A whole number given as text (environment variables, query strings) within [min, max]. */
export const integerFromText = (min: number, max: number) =>
  z.pipe(z.coerce.number(), z.int().check(z.minimum(min), z.maximum(max)));

/** An update must change something besides naming the version it expects. */
export const changesSomething = (input: object) =>
  Object.keys(input).some((key) => key !== 'expectedVersion');
