import type { TrackerContext } from '../context.ts';
import { isTaskTrackerError } from '../errors.ts';
import { requestFingerprint } from '../idempotency/key.ts';
import { replayFromRecord } from '../idempotency/record.ts';
import { completedRecordAction } from '../idempotency/transactional.ts';
import { UserIdSchema } from '../ids.ts';
import { parseInput } from '../validation.ts';
import { type TaskWrite, writeTaskBatches } from './batch-writer.ts';
import { type CreateTaskInput, CreateTaskInputSchema } from './create-input.ts';
import type { Task } from './schema.ts';
import { newTask, newTaskPutAction } from './service.ts';

export interface NewTaskRequest {
  input: CreateTaskInput;
  /** Makes this one task exactly-once (imports use bucket/key/etag/row). */
  idempotencyKey?: string;
}

export type CreatedItem =
  | { index: number; status: 'created' | 'duplicate'; task: Task }
  | { index: number; status: 'invalid' | 'failed'; message: string };

/**
 * Creates many tasks in transactions of up to 100 actions, each with its category counts and, when
 * given, each task's idempotency record: a re-run (an import retried after a crash) creates nothing
 * twice. Invalid inputs are reported, never thrown: every index comes back with a status.
 */
export async function createTasks(
  ctx: TrackerContext,
  userId: string,
  requests: NewTaskRequest[],
  options: { onProgress?: (done: number, total: number) => void; concurrency?: number } = {},
): Promise<CreatedItem[]> {
  parseInput(UserIdSchema, userId);
  const results: CreatedItem[] = new Array(requests.length);
  const tasks = new Map<string, { task: Task; fingerprint?: string }>();
  const writes: TaskWrite[] = [];
  requests.forEach((request, index) => {
    try {
      const task = newTask(ctx, userId, request.input);
      const actions = [newTaskPutAction(ctx, task)];
      let fingerprint: string | undefined;
      if (request.idempotencyKey) {
        const payload = parseInput(CreateTaskInputSchema, request.input);
        const idempotency = { userId, key: request.idempotencyKey, operation: 'createTask', payload };
        actions.push(completedRecordAction(ctx, idempotency, task));
        fingerprint = requestFingerprint('createTask', payload);
      }
      tasks.set(String(index), { task, ...(fingerprint ? { fingerprint } : {}) });
      writes.push({
        ref: String(index),
        actions,
        move: { to: task.categoryId },
        standalone: !task.categoryId && !request.idempotencyKey,
      });
    } catch (error) {
      results[index] = { index, status: 'invalid', message: (error as Error).message };
    }
  });
  let done = requests.length - writes.length;
  const written = await writeTaskBatches(ctx, userId, writes, {
    ...(options.concurrency ? { concurrency: options.concurrency } : {}),
    onWritten: (count) => {
      done += count;
      options.onProgress?.(done, requests.length);
    },
  });
  for (const write of writes) {
    const index = Number(write.ref);
    const { task, fingerprint } = tasks.get(write.ref)!;
    const result = written.get(write.ref);
    if (result?.status === 'written') {
      results[index] = { index, status: 'created', task };
    } else if (result?.status === 'condition_failed' && fingerprint) {
      results[index] = replayOf(ctx, index, result.reasons[1]?.item, fingerprint);
    } else if (result?.status === 'category_missing') {
      results[index] = {
        index,
        status: 'invalid',
        message: `categoryId: no category with id ${result.categoryId}`,
      };
    } else {
      const message = result?.status === 'failed' ? String((result.error as Error)?.message) : 'not written';
      results[index] = { index, status: 'failed', message };
    }
  }
  return results;
}

function replayOf(
  ctx: TrackerContext,
  index: number,
  record: Record<string, unknown> | undefined,
  fingerprint: string,
): CreatedItem {
  if (!record) return { index, status: 'failed', message: 'task id collision' };
  try {
    const { result } = replayFromRecord(record, fingerprint, ctx.logger);
    return { index, status: 'duplicate', task: result as Task };
  } catch (error) {
    return { index, status: 'invalid', message: isTaskTrackerError(error) ? error.message : String(error) };
  }
}
