import { UpdateCategoryInputSchema, updateCategory } from '@tasktracker/core';
import { defineRoute } from '../../http/route.ts';
import type { Runtime } from '../../runtime.ts';
import { expectedVersionOf, IdParamsSchema } from '../params.ts';

export const updateCategoryRoute = (runtime: Runtime) =>
  defineRoute({
    name: 'PUT /categories/{id}',
    params: IdParamsSchema,
    body: UpdateCategoryInputSchema,
    async handle({ userId, params, body, headers }) {
      const expectedVersion = expectedVersionOf(body.expectedVersion, headers);
      return {
        data: await updateCategory(runtime.context, userId, params.id, { ...body, expectedVersion }),
      };
    },
  });
