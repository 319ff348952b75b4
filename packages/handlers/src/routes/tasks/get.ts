import { getTask } from '@tasktracker/core';
import { taskETag } from '../../http/etag.ts';
import { defineRoute } from '../../http/route.ts';
import type { Runtime } from '../../runtime.ts';
import { IdParamsSchema } from '../params.ts';

export const getTaskRoute = (runtime: Runtime) =>
  defineRoute({
    name: 'GET /tasks/{id}',
    params: IdParamsSchema,
    async handle({ userId, params }) {
      const task = await getTask(runtime.context, userId, params.id);
      return { data: task, etag: taskETag(task) };
    },
  });
