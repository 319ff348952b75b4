import { UpdateTaskInputSchema, updateTask } from '@tasktracker/core';
import { writeIfMatch } from '../../http/if-match.ts';
import { defineRoute } from '../../http/route.ts';
import type { Runtime } from '../../runtime.ts';
import { IdParamsSchema, taskMatchTarget } from '../params.ts';

/** No ETag on the answer: the stored task is not the body sent (RFC 9110 9.3.4); its version is. */
export const updateTaskRoute = (runtime: Runtime) =>
  defineRoute({
    name: 'PUT /tasks/{id}',
    params: IdParamsSchema,
    body: UpdateTaskInputSchema,
    async handle({ userId, params, body, headers, metrics }) {
      const target = taskMatchTarget(runtime, userId, params.id);
      const task = await writeIfMatch(headers, body.expectedVersion, target, (expectedVersion) =>
        updateTask(runtime.context, userId, params.id, { ...body, expectedVersion }),
      );
      metrics.add('TasksUpdated');
      return { data: task };
    },
  });
