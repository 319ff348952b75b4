import {
  type BulkRequest,
  BulkRequestSchema,
  type BulkResult,
  deleteTasks,
  getCategory,
  moveTasksToCategory,
  runOnce,
  setTasksCompleted,
} from '@tasktracker/core';
import { defineRoute } from '../../http/route.ts';
import type { Runtime } from '../../runtime.ts';

// The schema lives in core, beside the client that sends it; kept importable from here.
export { type BulkRequest, BulkRequestSchema } from '@tasktracker/core';

const METRIC_OF = {
  complete: 'TasksCompleted',
  reopen: 'TasksReopened',
  delete: 'TasksDeleted',
  move: 'TasksMoved',
};

function runBulk(runtime: Runtime, userId: string, request: BulkRequest): Promise<BulkResult> {
  const ctx = runtime.context;
  switch (request.action) {
    case 'complete':
      return setTasksCompleted(ctx, userId, request.ids, true);
    case 'reopen':
      return setTasksCompleted(ctx, userId, request.ids, false);
    case 'delete':
      return deleteTasks(ctx, userId, request.ids);
    case 'move': {
      const ensureCategory = (categoryId: string) => getCategory(ctx, userId, categoryId);
      return moveTasksToCategory(ctx, userId, request.ids, request.categoryId, ensureCategory);
    }
  }
}

/**
 * Per-item results, never all-or-nothing: 1,000 ids cannot be one transaction (100-action limit).
 * Each item is naturally repeatable; an Idempotency-Key additionally replays the first answer.
 */
export const bulkTasksRoute = (runtime: Runtime) =>
  defineRoute({
    name: 'POST /tasks/bulk',
    idempotent: true,
    body: BulkRequestSchema,
    async handle({ userId, body, idempotencyKey, metrics }) {
      const work = () => runBulk(runtime, userId, body);
      const outcome = idempotencyKey
        ? await runOnce(
            runtime.context,
            { userId, key: idempotencyKey, operation: 'bulkTasks', payload: body },
            work,
          )
        : { result: await work(), replayed: false };
      if (!outcome.replayed) {
        metrics.add(METRIC_OF[body.action], outcome.result.counts.updated + outcome.result.counts.deleted);
      }
      return { data: outcome.result, replayed: outcome.replayed };
    },
  });
