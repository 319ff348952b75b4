import * as z from 'zod/mini';
import { IsoDateTimeSchema, UlidSchema, UserIdSchema, VersionSchema } from '../ids.ts';
import { changesSomething } from '../validation.ts';

const NameSchema = z.string().check(z.trim(), z.minLength(1), z.maxLength(100));
const ColorSchema = z.string().check(z.regex(/^#[0-9A-Fa-f]{6}$/, 'must be a colour like #1E90FF'));
const IconSchema = z.string().check(z.maxLength(32));

export const CategorySchema = z.object({
  userId: UserIdSchema,
  categoryId: UlidSchema,
  name: NameSchema,
  color: ColorSchema,
  icon: z.optional(IconSchema),
  taskCount: z.int().check(z.minimum(0)),
  createdAt: IsoDateTimeSchema,
  updatedAt: IsoDateTimeSchema,
  version: VersionSchema,
});
export type Category = z.infer<typeof CategorySchema>;

export const CreateCategoryInputSchema = z.strictObject({
  name: NameSchema,
  color: z._default(ColorSchema, '#808080'),
  icon: z.optional(IconSchema),
});
export type CreateCategoryInput = z.input<typeof CreateCategoryInputSchema>;

export const UpdateCategoryInputSchema = z
  .strictObject({
    name: z.optional(NameSchema),
    color: z.optional(ColorSchema),
    icon: z.optional(z.nullable(IconSchema)),
    expectedVersion: z.optional(VersionSchema),
  })
  .check(z.refine(changesSomething, { error: 'at least one field to change is required' }));
export type UpdateCategoryInput = z.input<typeof UpdateCategoryInputSchema>;

/** What happens to the tasks of a category being deleted: moved to another category, or uncategorised. */
export const DeleteCategoryOptionsSchema = z
  .strictObject({ reassignTo: z.optional(UlidSchema), uncategorize: z.optional(z.boolean()) })
  .check(
    z.refine((options) => !(options.reassignTo && options.uncategorize), {
      error: 'give reassignTo or uncategorize, not both',
    }),
  );
export type DeleteCategoryOptions = z.input<typeof DeleteCategoryOptionsSchema>;
