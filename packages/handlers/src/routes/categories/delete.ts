import {
  type CategoryDeleted,
  type DeleteCategoryOptions,
  deleteCategory,
  integerFromText,
  UlidSchema,
} from '@tasktracker/core';
import * as z from 'zod/mini';
import { writeIfMatch } from '../../http/if-match.ts';
import { defineRoute } from '../../http/route.ts';
import type { Runtime } from '../../runtime.ts';
import { categoryMatchTarget, IdParamsSchema } from '../params.ts';

/** Where a non-empty category's tasks go; without either, deleting it is CATEGORY_NOT_EMPTY (409). */
const DeleteQuerySchema = z
  .strictObject({
    reassignTo: z.optional(UlidSchema),
    uncategorize: z.optional(z.enum(['true', 'false'])),
    expectedVersion: z.optional(integerFromText(1, Number.MAX_SAFE_INTEGER)),
  })
  .check(
    z.refine((query) => !(query.reassignTo && query.uncategorize === 'true'), {
      error: 'give reassignTo or uncategorize=true, not both',
    }),
  );

export const deleteCategoryRoute = (runtime: Runtime) =>
  defineRoute({
    name: 'DELETE /categories/{id}',
    params: IdParamsSchema,
    query: DeleteQuerySchema,
    async handle({ userId, params, query, headers }) {
      const options: DeleteCategoryOptions = query.reassignTo
        ? { reassignTo: query.reassignTo }
        : query.uncategorize === 'true'
          ? { uncategorize: true as const }
          : {};
      const target = categoryMatchTarget(runtime, userId, params.id);
      const { movedTasks } = await writeIfMatch(headers, query.expectedVersion, target, (expectedVersion) =>
        deleteCategory(runtime.context, userId, params.id, { ...options, expectedVersion }),
      );
      return { data: { categoryId: params.id, deleted: true, movedTasks } satisfies CategoryDeleted };
    },
  });
