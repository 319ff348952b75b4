import { deleteTask } from '@tasktracker/core';
import * as z from 'zod';
import { defineRoute } from '../../http/route.ts';
import type { Runtime } from '../../runtime.ts';
import { expectedVersionOf, IdParamsSchema } from '../params.ts';

const DeleteQuerySchema = z.strictObject({ expectedVersion: z.coerce.number().int().min(1).optional() });

export const deleteTaskRoute = (runtime: Runtime) =>
  defineRoute({
    name: 'DELETE /tasks/{id}',
    params: IdParamsSchema,
    query: DeleteQuerySchema,
    async handle({ userId, params, query, headers, metrics }) {
      const expectedVersion = expectedVersionOf(query.expectedVersion, headers);
      await deleteTask(runtime.context, userId, params.id, expectedVersion ? { expectedVersion } : {});
      metrics.add('TasksDeleted');
      return { data: { taskId: params.id, deleted: true } };
    },
  });
