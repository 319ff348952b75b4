import { type DeleteCategoryOptions, deleteCategory, UlidSchema } from '@tasktracker/core';
import * as z from 'zod/mini';
import { defineRoute } from '../../http/route.ts';
import type { Runtime } from '../../runtime.ts';
import { IdParamsSchema } from '../params.ts';

/** Where a non-empty category's tasks go; without either, deleting it is CATEGORY_NOT_EMPTY (409). */
export const DeleteCategoryQuerySchema = z
  .strictObject({ reassignTo: z.optional(UlidSchema), uncategorize: z.optional(z.enum(['true', 'false'])) })
  .check(
    z.refine((query) => !(query.reassignTo && query.uncategorize === 'true'), {
      error: 'give reassignTo or uncategorize=true, not both',
    }),
  );

export const deleteCategoryRoute = (runtime: Runtime) =>
  defineRoute({
    name: 'DELETE /categories/{id}',
    params: IdParamsSchema,
    query: DeleteCategoryQuerySchema,
    async handle({ userId, params, query }) {
      const options: DeleteCategoryOptions = query.reassignTo
        ? { reassignTo: query.reassignTo }
        : query.uncategorize === 'true'
          ? { uncategorize: true as const }
          : {};
      const { movedTasks } = await deleteCategory(runtime.context, userId, params.id, options);
      return { data: { categoryId: params.id, deleted: true, movedTasks } };
    },
  });
