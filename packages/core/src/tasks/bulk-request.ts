import * as z from 'zod/mini';
import { UlidSchema } from '../ids.ts';
import { BulkIdsSchema } from './bulk.ts';

/** The body of POST /tasks/bulk: one action on up to 1,000 tasks. */
export const BulkRequestSchema = z.discriminatedUnion('action', [
  z.strictObject({ action: z.literal('complete'), ids: BulkIdsSchema }),
  z.strictObject({ action: z.literal('reopen'), ids: BulkIdsSchema }),
  z.strictObject({ action: z.literal('delete'), ids: BulkIdsSchema }),
  // null moves the tasks out of every category.
  z.strictObject({ action: z.literal('move'), ids: BulkIdsSchema, categoryId: z.nullable(UlidSchema) }),
]);
export type BulkRequest = z.infer<typeof BulkRequestSchema>;
