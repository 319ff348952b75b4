import { CreateCategoryInputSchema } from '@tasktracker/core';
import { defineRoute } from '../../http/route.ts';
import type { Runtime } from '../../runtime.ts';

export const createCategoryRoute = (runtime: Runtime) =>
  defineRoute({
    name: 'POST /categories',
    idempotent: true,
    body: CreateCategoryInputSchema,
    async handle({ userId, body, idempotencyKey, metrics }) {
      const outcome = await runtime.tracker.categories.create(userId, body, { idempotencyKey });
      if (!outcome.replayed) metrics.add('CategoriesCreated');
      return { status: 201, data: outcome.result, replayed: outcome.replayed };
    },
  });
