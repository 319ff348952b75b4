import * as z from 'zod';
import { IsoDateTimeSchema, UlidSchema, UserIdSchema } from '../ids.ts';

const NameSchema = z.string().trim().min(1).max(100);
const ColorSchema = z.string().regex(/^#[0-9A-Fa-f]{6}$/, 'must be a colour like #1E90FF');
const IconSchema = z.string().max(32);

export const CategorySchema = z.object({
  userId: UserIdSchema,
  categoryId: UlidSchema,
  name: NameSchema,
  color: ColorSchema,
  icon: IconSchema.optional(),
  taskCount: z.number().int().min(0),
  createdAt: IsoDateTimeSchema,
  updatedAt: IsoDateTimeSchema,
  version: z.number().int().min(1),
});
export type Category = z.infer<typeof CategorySchema>;

export const CreateCategoryInputSchema = z.strictObject({
  name: NameSchema,
  color: ColorSchema.default('#808080'),
  icon: IconSchema.optional(),
});
export type CreateCategoryInput = z.input<typeof CreateCategoryInputSchema>;

export const UpdateCategoryInputSchema = z
  .strictObject({
    name: NameSchema.optional(),
    color: ColorSchema.optional(),
    icon: IconSchema.nullable().optional(),
    expectedVersion: z.number().int().min(1).optional(),
  })
  .refine((input) => Object.keys(input).some((key) => key !== 'expectedVersion'), {
    message: 'at least one field to change is required',
  });
export type UpdateCategoryInput = z.input<typeof UpdateCategoryInputSchema>;

/** What happens to the tasks of a category being deleted: moved to another category, or uncategorised. */
export const DeleteCategoryOptionsSchema = z
  .strictObject({ reassignTo: UlidSchema.optional(), uncategorize: z.boolean().optional() })
  .refine((options) => !(options.reassignTo && options.uncategorize), {
    message: 'give reassignTo or uncategorize, not both',
  });
export type DeleteCategoryOptions = z.input<typeof DeleteCategoryOptionsSchema>;
