import * as z from 'zod/mini';
import { UlidSchema } from '../ids.ts';
import { MAX_BULK_IDS } from './bulk.ts';

/**
 * The HTTP API's bulk ids: a published contract says what an id is, so anything else is a 400 (the
 * library's own calls report a malformed id as not_found, with the rest of the batch).
 */
export const BulkTaskIdsSchema = z.array(UlidSchema).check(z.minLength(1), z.maxLength(MAX_BULK_IDS));

/** The body of POST /tasks/bulk: one action on up to 1,000 tasks. */
export const BulkRequestSchema = z.discriminatedUnion('action', [
  z.strictObject({ action: z.literal('complete'), ids: BulkTaskIdsSchema }),
  z.strictObject({ action: z.literal('reopen'), ids: BulkTaskIdsSchema }),
  z.strictObject({ action: z.literal('delete'), ids: BulkTaskIdsSchema }),
  // null moves the tasks out of every category.
  z.strictObject({ action: z.literal('move'), ids: BulkTaskIdsSchema, categoryId: z.nullable(UlidSchema) }),
]);
export type BulkRequest = z.infer<typeof BulkRequestSchema>;
