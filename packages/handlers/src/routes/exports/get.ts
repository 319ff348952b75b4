import { ExportIdParamsSchema, getExportJob } from '@tasktracker/core';
import { defineRoute } from '../../http/route.ts';
import type { Runtime } from '../../runtime.ts';

/** GET /exports/{id}: the caller's export job; another user's id is not found, as a missing one. */
export const getExportRoute = (runtime: Runtime) =>
  defineRoute({
    name: 'GET /exports/{id}',
    params: ExportIdParamsSchema,
    async handle({ userId, params }) {
      return { data: await getExportJob(runtime.context, userId, params.id) };
    },
  });
