import * as z from 'zod/mini';
import { IsoDateTimeSchema, UlidSchema, UserIdSchema, VersionSchema } from '../ids.ts';
import { changesSomething, integerFromText } from '../validation.ts';

export const PRIORITIES = ['low', 'medium', 'high'] as const;
export const PrioritySchema = z.enum(PRIORITIES);
export type Priority = z.infer<typeof PrioritySchema>;

/**
 * A due date is a calendar date (2026-12-01) or an instant with an offset. Instants are stored in UTC so
 * that due dates sort correctly as strings in the byDueDate index.
 */
export const DueDateSchema = z.pipe(
  z.union([z.iso.date(), z.iso.datetime({ offset: true })], {
    error: 'must be a date (YYYY-MM-DD) or an ISO-8601 instant with an offset',
  }),
  z.transform((value: string) => (value.length === 10 ? value : new Date(value).toISOString())),
);

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

const TitleSchema = z.string().check(z.trim(), z.minLength(1), z.maxLength(200));
const DescriptionSchema = z.string().check(z.maxLength(2000));

export const CreateTaskInputSchema = z.strictObject({
  title: TitleSchema,
  description: z.optional(DescriptionSchema),
  completed: z._default(z.boolean(), false),
  priority: z._default(PrioritySchema, 'medium'),
  categoryId: z.optional(UlidSchema),
  dueDate: z.optional(DueDateSchema),
});
export type CreateTaskInput = z.input<typeof CreateTaskInputSchema>;

/** null clears an optional field; an absent field is left as it is. */
export const UpdateTaskInputSchema = z
  .strictObject({
    title: z.optional(TitleSchema),
    description: z.optional(z.nullable(DescriptionSchema)),
    completed: z.optional(z.boolean()),
    priority: z.optional(PrioritySchema),
    categoryId: z.optional(z.nullable(UlidSchema)),
    dueDate: z.optional(z.nullable(DueDateSchema)),
    expectedVersion: z.optional(VersionSchema),
  })
  .check(z.refine(changesSomething, { error: 'at least one field to change is required' }));
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
  categoryId: z.optional(UlidSchema),
  status: z.optional(z.enum(['open', 'completed'])),
  priority: z.optional(PrioritySchema),
  dueBefore: z.optional(DueDateSchema),
  dueAfter: z.optional(DueDateSchema),
  createdBefore: z.optional(IsoDateTimeSchema),
  createdAfter: z.optional(IsoDateTimeSchema),
  q: z.optional(z.string().check(z.trim(), z.minLength(1), z.maxLength(200))),
  sort: z._default(TaskSortSchema, 'createdAt'),
  order: z.optional(z.enum(['asc', 'desc'])),
});
export type TaskFilter = z.output<typeof TaskFilterSchema>;

export const ListTasksQuerySchema = z.extend(TaskFilterSchema, {
  limit: z._default(integerFromText(1, 100), 20),
  cursor: z.optional(z.string().check(z.minLength(1), z.maxLength(2048))),
});
export type ListTasksQuery = z.input<typeof ListTasksQuerySchema>;

export interface TaskPage {
  items: Task[];
  nextCursor: string | null;
}
