import { UpdateCategoryInputSchema, updateCategory } from '@tasktracker/core';
import { writeIfMatch } from '../../http/if-match.ts';
import { defineRoute } from '../../http/route.ts';
import type { Runtime } from '../../runtime.ts';
import { categoryMatchTarget, IdParamsSchema } from '../params.ts';

export const updateCategoryRoute = (runtime: Runtime) =>
  defineRoute({
    name: 'PUT /categories/{id}',
    params: IdParamsSchema,
    body: UpdateCategoryInputSchema,
    async handle({ userId, params, body, headers }) {
      const target = categoryMatchTarget(runtime, userId, params.id);
      const category = await writeIfMatch(headers, body.expectedVersion, target, (expectedVersion) =>
        updateCategory(runtime.context, userId, params.id, { ...body, expectedVersion }),
      );
      return { data: category };
    },
  });
