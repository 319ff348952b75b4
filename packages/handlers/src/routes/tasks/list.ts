import { ListTasksQuerySchema, listTasks, UlidSchema } from '@tasktracker/core';
import * as z from 'zod/mini';
import { defineRoute } from '../../http/route.ts';
import type { Runtime } from '../../runtime.ts';
import { renameCategory } from './query.ts';

/** GET /tasks query parameters. Unknown parameters are a 400 (a typo must not silently widen a list). */
export const ListQuerySchema = z.pipe(
  z.extend(z.omit(ListTasksQuerySchema, { categoryId: true }), { category: z.optional(UlidSchema) }),
  z.transform(renameCategory),
);

export const listTasksRoute = (runtime: Runtime) =>
  defineRoute({
    name: 'GET /tasks',
    query: ListQuerySchema,
    async handle({ userId, query }) {
      const page = await listTasks(runtime.context, userId, query);
      return { data: page.items, nextCursor: page.nextCursor, etag: 'hash' };
    },
  });
