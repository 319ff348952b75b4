import type * as z from 'zod';
import { type ErrorDetail, TaskTrackerError } from './errors.ts';

/** Parses input with a schema; failure is a VALIDATION_ERROR listing every offending path. */
export function parseInput<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const details: ErrorDetail[] = result.error.issues.map((issue) => ({
    path: issue.path.map((part) => (typeof part === 'symbol' ? String(part) : part)),
    message: issue.message,
  }));
  const first = details[0];
  const where = first && first.path.length > 0 ? `${first.path.join('.')}: ` : '';
  throw new TaskTrackerError('VALIDATION_ERROR', `${where}${first?.message ?? 'invalid input'}`, details);
}
