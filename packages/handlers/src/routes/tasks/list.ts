import { listTasks } from '@tasktracker/core';
import { defineRoute } from '../../http/route.ts';
import type { Runtime } from '../../runtime.ts';
import { ListQuerySchema } from './query.ts';

export const listTasksRoute = (runtime: Runtime) =>
  defineRoute({
    name: 'GET /tasks',
    query: ListQuerySchema,
    async handle({ userId, query }) {
      const page = await listTasks(runtime.context, userId, query);
      return { data: page.items, nextCursor: page.nextCursor };
    },
  });
