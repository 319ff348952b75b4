import * as z from 'zod/mini';
import { CategorySchema } from '../categories/schema.ts';
import { IsoDateTimeSchema, UlidSchema } from '../ids.ts';
import { BulkResultSchema } from '../tasks/bulk-result.ts';
import { TaskSchema } from '../tasks/schema.ts';

/*
 * The bodies the HTTP API answers with, as schemas: the typed client checks every answer against them,
 * and the handlers' routes return these shapes. Items are core's own TaskSchema and CategorySchema.
 */

/** `{ data }`: every success body but an export file. */
export const dataEnvelope = <T extends z.core.$ZodType>(data: T) => z.object({ data });

/** `{ data: [...], nextCursor }`: a list page; nextCursor is null on the last page. */
export const pageEnvelope = <T extends z.core.$ZodType>(item: T) =>
  z.object({ data: z.array(item), nextCursor: z.nullable(z.string()) });

export const TaskDeletedSchema = z.object({ taskId: UlidSchema, deleted: z.literal(true) });
export type TaskDeleted = z.infer<typeof TaskDeletedSchema>;

export const CategoryDeletedSchema = z.object({
  categoryId: UlidSchema,
  deleted: z.literal(true),
  /** Tasks reassigned or uncategorised on the way. */
  movedTasks: z.int().check(z.minimum(0)),
});
export type CategoryDeleted = z.infer<typeof CategoryDeletedSchema>;

/** GET /tasks/export when the file is too large to return: a presigned link to it. */
export const ExportLinkSchema = z.object({
  url: z.url(),
  expiresAt: IsoDateTimeSchema,
  bytes: z.int().check(z.minimum(0)),
  rows: z.int().check(z.minimum(0)),
  format: z.enum(['csv', 'jsonl']),
});
export type ExportLink = z.infer<typeof ExportLinkSchema>;

export const HealthSchema = z.object({ status: z.literal('ok'), stage: z.string(), time: IsoDateTimeSchema });
export type Health = z.infer<typeof HealthSchema>;

export const DependencyCheckSchema = z.object({
  name: z.string(),
  status: z.enum(['ok', 'unreachable']),
  latencyMs: z.number().check(z.minimum(0)),
});
export type DependencyCheck = z.infer<typeof DependencyCheckSchema>;

/** GET /health/detailed when every table answers; otherwise a 503 whose details hold the checks. */
export const DetailedHealthSchema = z.object({
  status: z.literal('ok'),
  checks: z.array(DependencyCheckSchema),
});
export type DetailedHealth = z.infer<typeof DetailedHealthSchema>;

/** Every error the API's handlers answer: `code` is one of ERROR_CODES, `correlationId` its header's. */
export const ErrorEnvelopeSchema = z.object({
  error: z.object({
    code: z.string(),
    message: z.string(),
    details: z.optional(z.unknown()),
    correlationId: z.string(),
  }),
});
export type ErrorEnvelope = z.infer<typeof ErrorEnvelopeSchema>;

export const TaskEnvelopeSchema = dataEnvelope(TaskSchema);
export const TaskPageEnvelopeSchema = pageEnvelope(TaskSchema);
export const CategoryEnvelopeSchema = dataEnvelope(CategorySchema);
export const CategoryPageEnvelopeSchema = pageEnvelope(CategorySchema);
export const BulkResultEnvelopeSchema = dataEnvelope(BulkResultSchema);
