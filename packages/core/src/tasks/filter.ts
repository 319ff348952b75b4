import * as z from 'zod/mini';
import { IsoDateTimeSchema, UlidSchema } from '../ids.ts';
import { integerFromText } from '../validation.ts';
import { DueDateSchema, PrioritySchema } from './fields.ts';

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
