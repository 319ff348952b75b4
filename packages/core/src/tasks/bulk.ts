import { BatchGetCommand } from '@aws-sdk/lib-dynamodb';
import * as z from 'zod/mini';
import type { TrackerContext } from '../context.ts';
import { asUnavailable } from '../dynamo/errors.ts';
import { taskKey } from '../dynamo/keys.ts';
import { retryWithBackoff } from '../dynamo/retry.ts';
import { TaskTrackerError } from '../errors.ts';
import { UlidSchema, UserIdSchema } from '../ids.ts';
import { parseInput } from '../validation.ts';
import { type TaskWrite, writeTaskBatches } from './batch-writer.ts';
import type { BulkItemResult, BulkResult } from './bulk-result.ts';
import { toTask } from './item.ts';
import type { Task } from './schema.ts';
import { applyTaskUpdate, deleteVersionAction, putNextVersionAction } from './service.ts';

export const MAX_BULK_IDS = 1_000;

export const BulkIdsSchema = z
  .array(z.string().check(z.minLength(1), z.maxLength(64)))
  .check(z.minLength(1), z.maxLength(MAX_BULK_IDS));

export type { BulkItemResult, BulkItemStatus, BulkResult } from './bulk-result.ts';

/** Rounds of re-read and retry for tasks that changed under a bulk operation. */
const CONFLICT_ROUNDS = 3;
const BATCH_GET_LIMIT = 100;

/** Consistent reads of many tasks, 100 keys a call, retrying what DynamoDB leaves unprocessed. */
export async function readTasks(
  ctx: TrackerContext,
  userId: string,
  ids: string[],
): Promise<Map<string, Task>> {
  const found = new Map<string, Task>();
  for (let start = 0; start < ids.length; start += BATCH_GET_LIMIT) {
    let keys: Record<string, unknown>[] = ids
      .slice(start, start + BATCH_GET_LIMIT)
      .map((id) => taskKey(userId, id));
    await retryWithBackoff(
      async () => {
        const output = await ctx.doc.send(
          new BatchGetCommand({ RequestItems: { [ctx.tables.tasks]: { Keys: keys, ConsistentRead: true } } }),
        );
        for (const item of output.Responses?.[ctx.tables.tasks] ?? []) {
          const task = toTask(item);
          found.set(task.taskId, task);
        }
        keys = output.UnprocessedKeys?.[ctx.tables.tasks]?.Keys ?? [];
        if (keys.length > 0) throw new UnprocessedKeys();
      },
      { isRetryable: (error) => error instanceof UnprocessedKeys, attempts: 10 },
    ).catch((error: unknown) => {
      throw asUnavailable(error);
    });
  }
  return found;
}

class UnprocessedKeys extends Error {}

/**
 * Applies one change to many tasks and accounts for every id: each ends updated (or deleted),
 * not_found, conflict (it kept changing under us) or failed. `change` returns the task's next version,
 * or null to delete it.
 */
export async function changeTasks(
  ctx: TrackerContext,
  userId: string,
  idsInput: string[],
  change: (task: Task) => Task | null,
  onProgress?: (done: number, total: number) => void,
): Promise<BulkResult> {
  parseInput(UserIdSchema, userId);
  const ids = [...new Set(parseInput(BulkIdsSchema, idsInput))];
  const outcome = new Map<string, BulkItemResult>();
  let remaining = ids.filter((id) => {
    const valid = UlidSchema.safeParse(id).success;
    if (!valid) outcome.set(id, { id, status: 'not_found' });
    return valid;
  });
  let done = outcome.size;
  for (let round = 1; remaining.length > 0 && round <= CONFLICT_ROUNDS; round++) {
    const tasks = await readTasks(ctx, userId, remaining);
    const writes: TaskWrite[] = [];
    for (const id of remaining) {
      const task = tasks.get(id);
      if (!task) {
        outcome.set(id, { id, status: 'not_found' });
        continue;
      }
      const next = change(task);
      writes.push({
        ref: id,
        // The batch writer adds the category counts for the whole transaction.
        actions: [next ? putNextVersionAction(ctx, task, next) : deleteVersionAction(ctx, task)],
        move: { from: task.categoryId, to: next ? next.categoryId : undefined },
      });
    }
    done += remaining.length - writes.length;
    const results = await writeTaskBatches(ctx, userId, writes, {
      onWritten: (count) => {
        done += count;
        onProgress?.(done, ids.length);
      },
    });
    remaining = [];
    for (const write of writes) {
      const result = results.get(write.ref);
      const status = write.actions[0]?.Delete ? 'deleted' : 'updated';
      if (result?.status === 'written') outcome.set(write.ref, { id: write.ref, status });
      else if (result?.status === 'condition_failed') {
        if (round < CONFLICT_ROUNDS) remaining.push(write.ref);
        else outcome.set(write.ref, { id: write.ref, status: 'conflict', message: 'changed concurrently' });
      } else if (result?.status === 'category_missing') {
        outcome.set(write.ref, {
          id: write.ref,
          status: 'failed',
          message: `no category ${result.categoryId}`,
        });
      } else {
        const message =
          result?.status === 'failed' ? String((result.error as Error)?.message ?? result.error) : '';
        outcome.set(write.ref, { id: write.ref, status: 'failed', message });
      }
    }
  }
  const results = ids.map((id) => outcome.get(id) as BulkItemResult);
  const counts = { updated: 0, deleted: 0, not_found: 0, conflict: 0, failed: 0 };
  for (const result of results) counts[result.status]++;
  ctx.logger.debug({ counts }, 'bulk change done');
  return { results, counts };
}

export function setTasksCompleted(ctx: TrackerContext, userId: string, ids: string[], completed: boolean) {
  return changeTasks(ctx, userId, ids, (task) => applyTaskUpdate(task, { completed }, ctx.now()));
}

export function deleteTasks(ctx: TrackerContext, userId: string, ids: string[]) {
  return changeTasks(ctx, userId, ids, () => null);
}

/** Moves tasks into a category (or out of any, with null). The target must exist before we start. */
export async function moveTasksToCategory(
  ctx: TrackerContext,
  userId: string,
  ids: string[],
  categoryId: string | null,
  ensureCategory: (categoryId: string) => Promise<unknown>,
) {
  if (categoryId !== null) {
    if (!UlidSchema.safeParse(categoryId).success) {
      throw new TaskTrackerError('VALIDATION_ERROR', 'categoryId: must be a ULID', [
        { path: ['categoryId'], message: 'must be a ULID' },
      ]);
    }
    await ensureCategory(categoryId);
  }
  return changeTasks(ctx, userId, ids, (task) => applyTaskUpdate(task, { categoryId }, ctx.now()));
}
