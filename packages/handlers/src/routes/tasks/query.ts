import { ListTasksQuerySchema, TaskFilterSchema, UlidSchema } from '@tasktracker/core';
import * as z from 'zod';

/** The HTTP API calls the category filter `category`; core calls it `categoryId`. */
function renameCategory<T extends { category?: string | undefined }>({ category, ...rest }: T) {
  return { ...rest, ...(category === undefined ? {} : { categoryId: category }) };
}

/** GET /tasks query parameters. Unknown parameters are a 400 (a typo must not silently widen a list). */
export const ListQuerySchema = ListTasksQuerySchema.omit({ categoryId: true })
  .extend({ category: UlidSchema.optional() })
  .transform(renameCategory);

/** GET /tasks/export: the list filters without paging, plus the format. */
export const ExportQuerySchema = TaskFilterSchema.omit({ categoryId: true })
  .extend({ category: UlidSchema.optional(), format: z.enum(['csv', 'jsonl']).default('csv') })
  .transform(renameCategory);
