import { listCategories } from '@tasktracker/core';
import { defineRoute } from '../../http/route.ts';
import type { Runtime } from '../../runtime.ts';

/** A user has tens of categories: one page, so nextCursor is always null. */
export const listCategoriesRoute = (runtime: Runtime) =>
  defineRoute({
    name: 'GET /categories',
    async handle({ userId }) {
      return { data: await listCategories(runtime.context, userId), nextCursor: null, etag: 'hash' };
    },
  });
