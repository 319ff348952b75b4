import * as z from 'zod/mini';
import { UlidSchema, VersionSchema } from '../ids.ts';

/**
 * What happens to the tasks of a category being deleted: moved to another category, or uncategorised.
 * With expectedVersion the delete happens only while the category is at that version.
 */
export const DeleteCategoryOptionsSchema = z
  .strictObject({
    reassignTo: z.optional(UlidSchema),
    uncategorize: z.optional(z.boolean()),
    expectedVersion: z.optional(VersionSchema),
  })
  .check(
    z.refine((options) => !(options.reassignTo && options.uncategorize), {
      error: 'give reassignTo or uncategorize, not both',
    }),
  );
export type DeleteCategoryOptions = z.input<typeof DeleteCategoryOptionsSchema>;
