import { adjustTaskCountAction, categoryDeltas } from '../categories/counter.ts';
import type { TrackerContext } from '../context.ts';
import { BATCH_WRITE_LIMIT, batchPut } from '../dynamo/batch.ts';
import type { CancellationReason } from '../dynamo/errors.ts';
import { mapWithConcurrency } from '../dynamo/retry.ts';
import {
  MAX_TRANSACTION_ACTIONS,
  type WriteAction,
  WriteCancelled,
  writeAtomically,
} from '../dynamo/write.ts';

/** One task's write in a bulk operation: its own actions, and how it moves between categories. */
export interface TaskWrite {
  ref: string;
  actions: WriteAction[];
  move: { from?: string | undefined; to?: string | undefined };
  /**
   * True for a Put of a brand-new item that touches no category and no idempotency record: nothing
   * else must commit with it, so it may go in a BatchWriteItem (25 items a call, half the cost of a
   * transaction on AWS) instead of a transaction.
   */
  standalone?: boolean;
}

export type TaskWriteResult =
  | { status: 'written' }
  | { status: 'condition_failed'; reasons: CancellationReason[] }
  | { status: 'category_missing'; categoryId: string }
  | { status: 'failed'; error: unknown };

interface Chunk {
  writes: TaskWrite[];
  categories: string[];
}

const categoriesOf = (write: TaskWrite) =>
  [...new Set([write.move.from, write.move.to].filter((id): id is string => Boolean(id)))].sort();

/**
 * Writes that move no task between categories go one by one as conditional writes; the others are
 * packed into transactions of at most 100 actions, each carrying the net taskCount change of
 * the categories its tasks leave and join, so counts are exact at every commit. Writes are grouped by
 * the categories they touch, and two transactions touching one category never run at once: they would
 * only cancel each other (TransactionConflict). A cancelled transaction is split: writes whose own
 * condition failed are reported, the innocent ones are written again.
 */
export async function writeTaskBatches(
  ctx: TrackerContext,
  userId: string,
  writes: TaskWrite[],
  options: { concurrency?: number; onWritten?: (count: number) => void } = {},
): Promise<Map<string, TaskWriteResult>> {
  const results = new Map<string, TaskWriteResult>();
  const standalone = writes.filter(
    (write) => write.standalone && write.actions.length === 1 && write.actions[0]?.Put,
  );
  // A change that moves no task between categories (complete, reopen, a delete or an edit outside any
  // category) needs no other item to commit with it: a single conditional write keeps its optimistic
  // lock at half a transaction's price (bench:data's capacity rows).
  const independent = writes.filter((write) => !standalone.includes(write) && isIndependent(write));
  const pending: Chunk[] = packChunks(
    writes.filter((write) => !standalone.includes(write) && !independent.includes(write)),
  );
  const busy = new Set<string>();
  const concurrency = options.concurrency ?? 4;
  let running = 0;

  const transactions = new Promise<void>((resolve) => {
    const pump = () => {
      while (running < concurrency) {
        const position = pending.findIndex((chunk) => chunk.categories.every((id) => !busy.has(id)));
        if (position < 0) break;
        const [chunk] = pending.splice(position, 1) as [Chunk];
        running++;
        for (const id of chunk.categories) busy.add(id);
        writeChunk(ctx, userId, chunk, results)
          .then((retry) => {
            pending.push(...packChunks(retry));
            options.onWritten?.(chunk.writes.length - retry.length);
          })
          .finally(() => {
            running--;
            for (const id of chunk.categories) busy.delete(id);
            if (pending.length === 0 && running === 0) resolve();
            else pump();
          });
      }
    };
    if (pending.length === 0) resolve();
    else pump();
  });
  await Promise.all([
    transactions,
    putInBatches(ctx, standalone, results, concurrency, options.onWritten),
    writeIndependently(ctx, independent, results, options.onWritten),
  ]);
  return results;
}

/** One Put or Delete of a task that leaves every category's count as it is. */
function isIndependent(write: TaskWrite): boolean {
  const [action, ...more] = write.actions;
  return more.length === 0 && Boolean(action?.Put ?? action?.Delete) && write.move.from === write.move.to;
}

/**
 * Single writes in flight at once. Each is one conditional PutItem or DeleteItem (the version read), so
 * more of them run side by side than transactions of 100 do.
 */
const INDEPENDENT_CONCURRENCY = 16;

async function writeIndependently(
  ctx: TrackerContext,
  writes: TaskWrite[],
  results: Map<string, TaskWriteResult>,
  onWritten: ((count: number) => void) | undefined,
): Promise<void> {
  await mapWithConcurrency(writes, INDEPENDENT_CONCURRENCY, async (write) => {
    try {
      await writeAtomically(ctx, write.actions);
      results.set(write.ref, { status: 'written' });
    } catch (error) {
      if (error instanceof WriteCancelled) {
        results.set(write.ref, { status: 'condition_failed', reasons: error.reasons });
      } else {
        results.set(write.ref, { status: 'failed', error });
      }
    }
    onWritten?.(1);
  });
}

async function putInBatches(
  ctx: TrackerContext,
  writes: TaskWrite[],
  results: Map<string, TaskWriteResult>,
  concurrency: number,
  onWritten: ((count: number) => void) | undefined,
): Promise<void> {
  const batches: TaskWrite[][] = [];
  for (let start = 0; start < writes.length; start += BATCH_WRITE_LIMIT) {
    batches.push(writes.slice(start, start + BATCH_WRITE_LIMIT));
  }
  await mapWithConcurrency(batches, concurrency, async (batch) => {
    const items = batch.map((write) => write.actions[0]?.Put?.Item as Record<string, unknown>);
    try {
      await batchPut(ctx, ctx.tables.tasks, items);
      for (const write of batch) results.set(write.ref, { status: 'written' });
    } catch (error) {
      // A batch is not atomic: items may have landed. Their ids are fresh ULIDs, so the caller may
      // safely report them failed and retry; the retry writes the same items again, never twice.
      for (const write of batch) results.set(write.ref, { status: 'failed', error });
    }
    onWritten?.(batch.length);
  });
}

function packChunks(writes: TaskWrite[]): Chunk[] {
  const groups = new Map<string, TaskWrite[]>();
  for (const write of writes) {
    const key = categoriesOf(write).join(',');
    groups.set(key, [...(groups.get(key) ?? []), write]);
  }
  const chunks: Chunk[] = [];
  for (const [key, group] of groups) {
    const categories = key ? key.split(',') : [];
    let current: TaskWrite[] = [];
    let actions = categories.length;
    for (const write of group) {
      if (actions + write.actions.length > MAX_TRANSACTION_ACTIONS) {
        chunks.push({ writes: current, categories });
        current = [];
        actions = categories.length;
      }
      current.push(write);
      actions += write.actions.length;
    }
    if (current.length > 0) chunks.push({ writes: current, categories });
  }
  return chunks;
}

/** Writes one chunk; returns the writes that must be tried again in another transaction. */
async function writeChunk(
  ctx: TrackerContext,
  userId: string,
  chunk: Chunk,
  results: Map<string, TaskWriteResult>,
): Promise<TaskWrite[]> {
  const deltas = [...categoryDeltas(chunk.writes.map((write) => write.move))];
  const actions = [
    ...chunk.writes.flatMap((write) => write.actions),
    ...deltas.map(([categoryId, delta]) => adjustTaskCountAction(ctx, userId, categoryId, delta)),
  ];
  try {
    if (actions.length > 0) await writeAtomically(ctx, actions);
    for (const write of chunk.writes) results.set(write.ref, { status: 'written' });
    return [];
  } catch (error) {
    if (!(error instanceof WriteCancelled)) {
      ctx.logger.warn({ err: error, writes: chunk.writes.length }, 'bulk transaction failed');
      for (const write of chunk.writes) results.set(write.ref, { status: 'failed', error });
      return [];
    }
    return splitCancelled(chunk, deltas, error.reasons, results);
  }
}

function splitCancelled(
  chunk: Chunk,
  deltas: [string, number][],
  reasons: CancellationReason[],
  results: Map<string, TaskWriteResult>,
): TaskWrite[] {
  let position = 0;
  const own = chunk.writes.map((write) => {
    const mine = reasons.slice(position, position + write.actions.length);
    position += write.actions.length;
    return mine;
  });
  const missing = new Set(
    deltas
      .filter((_, index) => reasons[position + index]?.code === 'ConditionalCheckFailed')
      .map(([id]) => id),
  );
  const retry: TaskWrite[] = [];
  chunk.writes.forEach((write, index) => {
    const mine = own[index] ?? [];
    const lostCategory = categoriesOf(write).find((id) => missing.has(id));
    if (mine.some((reason) => reason.code === 'ConditionalCheckFailed')) {
      results.set(write.ref, { status: 'condition_failed', reasons: mine });
    } else if (lostCategory) {
      results.set(write.ref, { status: 'category_missing', categoryId: lostCategory });
    } else {
      retry.push(write);
    }
  });
  if (retry.length === chunk.writes.length) {
    // Cancelled for a reason that names none of our conditions: trying again would loop forever.
    const error = new Error(`transaction cancelled: ${reasons.map((reason) => reason.code).join(',')}`);
    for (const write of retry) results.set(write.ref, { status: 'failed', error });
    return [];
  }
  return retry;
}
