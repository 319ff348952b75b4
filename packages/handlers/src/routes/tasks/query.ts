import { ListTasksQuerySchema, TaskFilterSchema, UlidSchema } from '@tasktracker/core';
import * as z from 'zod/mini';

/** The HTTP API calls the category filter `category`; core calls it `categoryId`. */
function renameCategory<T extends { category?: string | undefined }>({ category, ...rest }: T) {
  return { ...rest, ...(category === undefined ? {} : { categoryId: category }) };
}

/** GET /tasks query parameters. Unknown parameters are a 400 (a typo must not silently widen a list). */
export const ListQuerySchema = z.pipe(
  z.extend(z.omit(ListTasksQuerySchema, { categoryId: true }), { category: z.optional(UlidSchema) }),
  z.transform(renameCategory),
);

/** GET /tasks/export: the list filters without paging, plus the format. */
export const ExportQuerySchema = z.pipe(
  z.extend(z.omit(TaskFilterSchema, { categoryId: true }), {
    category: z.optional(UlidSchema),
    format: z._default(z.enum(['csv', 'jsonl']), 'csv'),
  }),
  z.transform(renameCategory),
);
