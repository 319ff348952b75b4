import * as z from 'zod';
import { IsoDateTimeSchema, UlidSchema, UserIdSchema } from '../ids.ts';

export const PRIORITIES = ['low', 'medium', 'high'] as const;
export const PrioritySchema = z.enum(PRIORITIES);
export type Priority = z.infer<typeof PrioritySchema>;

/**
 * A due date is a calendar date (2026-12-01) or an instant with an offset. Instants are stored in UTC so
 * that due dates sort correctly as strings in the byDueDate index.
 */
export const DueDateSchema = z
  .union([z.iso.date(), z.iso.datetime({ offset: true })], {
    error: 'must be a date (YYYY-MM-DD) or an ISO-8601 instant with an offset',
  })
  .transform((value) => (value.length === 10 ? value : new Date(value).toISOString()));

export const TaskSchema = z.object({
  userId: UserIdSchema,
  taskId: UlidSchema,
  title: z.string().min(1).max(200),
  description: z.string().max(2000).optional(),
  completed: z.boolean(),
  priority: PrioritySchema,
  categoryId: UlidSchema.optional(),
  dueDate: z.string().optional(),
  createdAt: IsoDateTimeSchema,
  updatedAt: IsoDateTimeSchema,
  version: z.number().int().min(1),
});
export type Task = z.infer<typeof TaskSchema>;

const TitleSchema = z.string().trim().min(1).max(200);
const DescriptionSchema = z.string().max(2000);

export const CreateTaskInputSchema = z.strictObject({
  title: TitleSchema,
  description: DescriptionSchema.optional(),
  completed: z.boolean().default(false),
  priority: PrioritySchema.default('medium'),
  categoryId: UlidSchema.optional(),
  dueDate: DueDateSchema.optional(),
});
export type CreateTaskInput = z.input<typeof CreateTaskInputSchema>;

/** null clears an optional field; an absent field is left as it is. */
export const UpdateTaskInputSchema = z
  .strictObject({
    title: TitleSchema.optional(),
    description: DescriptionSchema.nullable().optional(),
    completed: z.boolean().optional(),
    priority: PrioritySchema.optional(),
    categoryId: UlidSchema.nullable().optional(),
    dueDate: DueDateSchema.nullable().optional(),
    expectedVersion: z.number().int().min(1).optional(),
  })
  .refine((input) => Object.keys(input).some((key) => key !== 'expectedVersion'), {
    message: 'at least one field to change is required',
  });
export type UpdateTaskInput = z.input<typeof UpdateTaskInputSchema>;

export const TASK_SORTS = ['createdAt', 'dueDate', 'priority'] as const;
export const TaskSortSchema = z.enum(TASK_SORTS);
export type TaskSort = z.infer<typeof TaskSortSchema>;

/** Newest first, soonest due first, most important first: what a person means by each sort. */
export const DEFAULT_ORDER: Record<TaskSort, 'asc' | 'desc'> = {
  createdAt: 'desc',
  dueDate: 'asc',
  priority: 'desc',
};

/** Filters shared by list and export. */
export const TaskFilterSchema = z.strictObject({
  categoryId: UlidSchema.optional(),
  status: z.enum(['open', 'completed']).optional(),
  priority: PrioritySchema.optional(),
  dueBefore: DueDateSchema.optional(),
  dueAfter: DueDateSchema.optional(),
  createdBefore: IsoDateTimeSchema.optional(),
  createdAfter: IsoDateTimeSchema.optional(),
  q: z.string().trim().min(1).max(200).optional(),
  sort: TaskSortSchema.default('createdAt'),
  order: z.enum(['asc', 'desc']).optional(),
});
export type TaskFilter = z.output<typeof TaskFilterSchema>;

export const ListTasksQuerySchema = TaskFilterSchema.extend({
  limit: z.coerce.number().int().min(1).max(100).default(20),
  cursor: z.string().min(1).max(2048).optional(),
});
export type ListTasksQuery = z.input<typeof ListTasksQuerySchema>;

export interface TaskPage {
  items: Task[];
  nextCursor: string | null;
}
