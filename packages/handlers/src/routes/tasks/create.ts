import { CreateTaskInputSchema, createTask } from '@tasktracker/core';
import { defineRoute } from '../../http/route.ts';
import type { Runtime } from '../../runtime.ts';

export const createTaskRoute = (runtime: Runtime) =>
  defineRoute({
    name: 'POST /tasks',
    idempotent: true,
    body: CreateTaskInputSchema,
    async handle({ userId, body, idempotencyKey, metrics }) {
      const outcome = await createTask(runtime.context, userId, body, { idempotencyKey });
      if (!outcome.replayed) metrics.add('TasksCreated');
      return { status: 201, data: outcome.result, replayed: outcome.replayed };
    },
  });
