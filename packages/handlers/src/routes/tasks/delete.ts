import { deleteTask, integerFromText, type TaskDeleted } from '@tasktracker/core';
import * as z from 'zod/mini';
import { writeIfMatch } from '../../http/if-match.ts';
import { defineRoute } from '../../http/route.ts';
import type { Runtime } from '../../runtime.ts';
import { IdParamsSchema, taskMatchTarget } from '../params.ts';

const DeleteQuerySchema = z.strictObject({
  expectedVersion: z.optional(integerFromText(1, Number.MAX_SAFE_INTEGER)),
});

export const deleteTaskRoute = (runtime: Runtime) =>
  defineRoute({
    name: 'DELETE /tasks/{id}',
    params: IdParamsSchema,
    query: DeleteQuerySchema,
    async handle({ userId, params, query, headers, metrics }) {
      const target = taskMatchTarget(runtime, userId, params.id);
      await writeIfMatch(headers, query.expectedVersion, target, (expectedVersion) =>
        deleteTask(runtime.context, userId, params.id, expectedVersion ? { expectedVersion } : {}),
      );
      metrics.add('TasksDeleted');
      return { data: { taskId: params.id, deleted: true } satisfies TaskDeleted };
    },
  });
