import * as z from 'zod/mini';

/*
 * Task schemas live one concern per module: the fields here, the task itself (schema.ts), each input
 * (create-input.ts, update-input.ts) and the filters (filter.ts). Workspace modules do nothing on import,
 * so a Lambda bundle drops every module its handler does not use and builds only the schemas it needs
 * at init (esbuild keeps every top-level schema of a module it includes).
 */

export const PRIORITIES = ['low', 'medium', 'high'] as const;
export const PrioritySchema = z.enum(PRIORITIES);
export type Priority = z.infer<typeof PrioritySchema>;

/**
 * A due date is a calendar date (2026-12-01) or an instant with an offset. Instants are stored in UTC so
 * that due dates sort correctly as strings in the byDueDate index.
 */
export const DueDateSchema = z.pipe(
  z.union([z.iso.date(), z.iso.datetime({ offset: true })], {
    error: 'must be a date (YYYY-MM-DD) or an ISO-8601 instant with an offset',
  }),
  z.transform((value: string) => (value.length === 10 ? value : new Date(value).toISOString())),
);

/** A title as people type it: trimmed, then 1-200 characters. */
export const TaskTitleSchema = z.string().check(z.trim(), z.minLength(1), z.maxLength(200));
export const TaskDescriptionSchema = z.string().check(z.maxLength(2000));
