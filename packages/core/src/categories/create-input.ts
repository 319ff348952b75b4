import * as z from 'zod/mini';
import { CategoryColorSchema, CategoryIconSchema, CategoryNameSchema } from './fields.ts';

export const CreateCategoryInputSchema = z.strictObject({
  name: CategoryNameSchema,
  color: z._default(CategoryColorSchema, '#808080'),
  icon: z.optional(CategoryIconSchema),
});
export type CreateCategoryInput = z.input<typeof CreateCategoryInputSchema>;
