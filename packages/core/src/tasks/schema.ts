import * as z from 'zod/mini';
import { IsoDateTimeSchema, UlidSchema, UserIdSchema, VersionSchema } from '../ids.ts';
import { PrioritySchema } from './fields.ts';

/** A stored task, as every read returns it. */
export const TaskSchema = z.object({
  userId: UserIdSchema,
  taskId: UlidSchema,
  title: z.string().check(z.minLength(1), z.maxLength(200)),
  description: z.optional(z.string().check(z.maxLength(2000))),
  completed: z.boolean(),
  priority: PrioritySchema,
  categoryId: z.optional(UlidSchema),
  dueDate: z.optional(z.string()),
  createdAt: IsoDateTimeSchema,
  updatedAt: IsoDateTimeSchema,
  version: VersionSchema,
});
export type Task = z.infer<typeof TaskSchema>;

export interface TaskPage {
  items: Task[];
  nextCursor: string | null;
}
