import { getCategory } from '@tasktracker/core';
import { categoryETag } from '../../http/etag.ts';
import { defineRoute } from '../../http/route.ts';
import type { Runtime } from '../../runtime.ts';
import { IdParamsSchema } from '../params.ts';

export const getCategoryRoute = (runtime: Runtime) =>
  defineRoute({
    name: 'GET /categories/{id}',
    params: IdParamsSchema,
    async handle({ userId, params }) {
      const category = await getCategory(runtime.context, userId, params.id);
      return { data: category, etag: categoryETag(category) };
    },
  });
