import * as z from 'zod/mini';
import { VersionSchema } from '../ids.ts';
import { changesSomething } from '../validation.ts';
import { CategoryColorSchema, CategoryIconSchema, CategoryNameSchema } from './fields.ts';

export const UpdateCategoryInputSchema = z
  .strictObject({
    name: z.optional(CategoryNameSchema),
    color: z.optional(CategoryColorSchema),
    icon: z.optional(z.nullable(CategoryIconSchema)),
    expectedVersion: z.optional(VersionSchema),
  })
  .check(z.refine(changesSomething, { error: 'at least one field to change is required' }));
export type UpdateCategoryInput = z.input<typeof UpdateCategoryInputSchema>;
