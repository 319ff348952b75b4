import * as z from 'zod/mini';
import { UlidSchema } from '../ids.ts';
import { DueDateSchema, PrioritySchema, TaskDescriptionSchema, TaskTitleSchema } from './fields.ts';

export const CreateTaskInputSchema = z.strictObject({
  title: TaskTitleSchema,
  description: z.optional(TaskDescriptionSchema),
  completed: z._default(z.boolean(), false),
  priority: z._default(PrioritySchema, 'medium'),
  categoryId: z.optional(UlidSchema),
  dueDate: z.optional(DueDateSchema),
});
export type CreateTaskInput = z.input<typeof CreateTaskInputSchema>;
