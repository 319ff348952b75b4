import { getCategory } from '@tasktracker/core';
import { defineRoute } from '../../http/route.ts';
import type { Runtime } from '../../runtime.ts';
import { IdParamsSchema } from '../params.ts';

export const getCategoryRoute = (runtime: Runtime) =>
  defineRoute({
    name: 'GET /categories/{id}',
    params: IdParamsSchema,
    async handle({ userId, params }) {
      return { data: await getCategory(runtime.context, userId, params.id) };
    },
  });
