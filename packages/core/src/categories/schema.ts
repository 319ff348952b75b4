import * as z from 'zod/mini';
import { IsoDateTimeSchema, UlidSchema, UserIdSchema, VersionSchema } from '../ids.ts';
import { CategoryColorSchema, CategoryIconSchema, CategoryNameSchema } from './fields.ts';

/** A stored category, as every read returns it. */
export const CategorySchema = z.object({
  userId: UserIdSchema,
  categoryId: UlidSchema,
  name: CategoryNameSchema,
  color: CategoryColorSchema,
  icon: z.optional(CategoryIconSchema),
  taskCount: z.int().check(z.minimum(0)),
  createdAt: IsoDateTimeSchema,
  updatedAt: IsoDateTimeSchema,
  version: VersionSchema,
});
export type Category = z.infer<typeof CategorySchema>;
