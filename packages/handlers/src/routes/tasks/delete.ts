import { deleteTask, integerFromText } from '@tasktracker/core';
import * as z from 'zod/mini';
import { defineRoute } from '../../http/route.ts';
import type { Runtime } from '../../runtime.ts';
import { expectedVersionOf, IdParamsSchema } from '../params.ts';

export const DeleteTaskQuerySchema = z.strictObject({
  expectedVersion: z.optional(integerFromText(1, Number.MAX_SAFE_INTEGER)),
});

export const deleteTaskRoute = (runtime: Runtime) =>
  defineRoute({
    name: 'DELETE /tasks/{id}',
    params: IdParamsSchema,
    query: DeleteTaskQuerySchema,
    async handle({ userId, params, query, headers, metrics }) {
      const expectedVersion = expectedVersionOf(query.expectedVersion, headers);
      await deleteTask(runtime.context, userId, params.id, expectedVersion ? { expectedVersion } : {});
      metrics.add('TasksDeleted');
      return { data: { taskId: params.id, deleted: true } };
    },
  });
