import * as z from 'zod/mini';
import { IsoDateTimeSchema, UlidSchema } from '../ids.ts';

/**
 * An export too large or too slow to answer within API Gateway's 29 s runs as a job: the API answers
 * 202 with the job, an asynchronous invocation writes the file, and GET /exports/{id} tells how far
 * it got and, once done, where the file is.
 */
export const EXPORT_JOB_STATUSES = ['pending', 'running', 'succeeded', 'failed'] as const;
export type ExportJobStatus = (typeof EXPORT_JOB_STATUSES)[number];

export const ExportJobSchema = z.object({
  exportId: UlidSchema,
  status: z.enum(EXPORT_JOB_STATUSES),
  format: z.enum(['csv', 'jsonl']),
  /** Rows written so far; the total once succeeded. */
  rows: z.int().check(z.minimum(0)),
  /** Once succeeded: the file's size, its presigned link and when the link stops working. */
  bytes: z.optional(z.int().check(z.minimum(0))),
  url: z.optional(z.url()),
  expiresAt: z.optional(IsoDateTimeSchema),
  /** Once failed: one of the error codes, and its message. */
  error: z.optional(z.object({ code: z.string(), message: z.string() })),
  createdAt: IsoDateTimeSchema,
  updatedAt: IsoDateTimeSchema,
});
export type ExportJob = z.infer<typeof ExportJobSchema>;

/** GET /exports/{id}: the job's id in the path. */
export const ExportIdParamsSchema = z.object({ id: UlidSchema });
