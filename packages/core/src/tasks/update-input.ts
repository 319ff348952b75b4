import * as z from 'zod/mini';
import { UlidSchema, VersionSchema } from '../ids.ts';
import { changesSomething } from '../validation.ts';
import { DueDateSchema, PrioritySchema, TaskDescriptionSchema, TaskTitleSchema } from './fields.ts';

/** null clears an optional field; an absent field is left as it is. */
export const UpdateTaskInputSchema = z
  .strictObject({
    title: z.optional(TaskTitleSchema),
    description: z.optional(z.nullable(TaskDescriptionSchema)),
    completed: z.optional(z.boolean()),
    priority: z.optional(PrioritySchema),
    categoryId: z.optional(z.nullable(UlidSchema)),
    dueDate: z.optional(z.nullable(DueDateSchema)),
    expectedVersion: z.optional(VersionSchema),
  })
  .check(z.refine(changesSomething, { error: 'at least one field to change is required' }));
export type UpdateTaskInput = z.input<typeof UpdateTaskInputSchema>;
