import { CreateCategoryInputSchema, createCategory } from '@tasktracker/core';
import { defineRoute } from '../../http/route.ts';
import type { Runtime } from '../../runtime.ts';

export const createCategoryRoute = (runtime: Runtime) =>
  defineRoute({
    name: 'POST /categories',
    idempotent: true,
    body: CreateCategoryInputSchema,
    async handle({ userId, body, idempotencyKey, metrics }) {
      const outcome = await createCategory(runtime.context, userId, body, { idempotencyKey });
      if (!outcome.replayed) metrics.add('CategoriesCreated');
      return { status: 201, data: outcome.result, replayed: outcome.replayed };
    },
  });
