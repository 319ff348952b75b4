import * as z from 'zod/mini';

/*
 * What a bulk operation answers, per item and in total. A module of its own, free of DynamoDB code, so
 * the HTTP client can check an answer against it without bundling the services.
 */

export const BULK_ITEM_STATUSES = ['updated', 'deleted', 'not_found', 'conflict', 'failed'] as const;
export const BulkItemStatusSchema = z.enum(BULK_ITEM_STATUSES);
export type BulkItemStatus = z.infer<typeof BulkItemStatusSchema>;

export const BulkItemResultSchema = z.object({
  id: z.string(),
  status: BulkItemStatusSchema,
  message: z.optional(z.string()),
});
export type BulkItemResult = z.infer<typeof BulkItemResultSchema>;

export const BulkResultSchema = z.object({
  results: z.array(BulkItemResultSchema),
  counts: z.record(BulkItemStatusSchema, z.int().check(z.minimum(0))),
});
export type BulkResult = z.infer<typeof BulkResultSchema>;
