import { defineRoute } from '../../http/route.ts';
import type { Runtime } from '../../runtime.ts';
import { IdParamsSchema } from '../params.ts';

export const getCategoryRoute = (runtime: Runtime) =>
  defineRoute({
    name: 'GET /categories/{id}',
    params: IdParamsSchema,
    async handle({ userId, params }) {
      return { data: await runtime.tracker.categories.get(userId, params.id) };
    },
  });
