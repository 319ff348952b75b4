import { UpdateTaskInputSchema, updateTask } from '@tasktracker/core';
import { defineRoute } from '../../http/route.ts';
import type { Runtime } from '../../runtime.ts';
import { expectedVersionOf, IdParamsSchema } from '../params.ts';

export const updateTaskRoute = (runtime: Runtime) =>
  defineRoute({
    name: 'PUT /tasks/{id}',
    params: IdParamsSchema,
    body: UpdateTaskInputSchema,
    async handle({ userId, params, body, headers, metrics }) {
      const expectedVersion = expectedVersionOf(body.expectedVersion, headers);
      const task = await updateTask(runtime.context, userId, params.id, { ...body, expectedVersion });
      metrics.add('TasksUpdated');
      return { data: task };
    },
  });
