import {
  type BulkResult,
  createTaskTracker,
  isTaskTrackerError,
  type Task,
  type TaskTracker,
} from '@tasktracker/core';
import { createTaskTrackerClient, isTaskTrackerApiError } from '@tasktracker/core/client';
import { createTestTables, type TestTables } from '@tasktracker/local/testing';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { noEngine, type Reply, useServe } from '../support/serve.ts';

const data = <T>(reply: Reply) => (reply.json as { data: T }).data;
const errorCode = (reply: Reply) => (reply.json as { error?: { code: string } }).error?.code;
const tally = (values: (string | number | undefined)[]) => {
  const counts: Record<string, number> = {};
  for (const value of values) counts[String(value)] = (counts[String(value)] ?? 0) + 1;
  return counts;
};
/** A settled client call as `200` or `<status> <code>`; anything but the client's own error is a bug. */
const outcomeOf = (settled: PromiseSettledResult<unknown>) => {
  if (settled.status === 'fulfilled') return '200';
  if (!isTaskTrackerApiError(settled.reason)) throw settled.reason;
  return `${settled.reason.status} ${settled.reason.code}`;
};

describe.skipIf(noEngine)('concurrency through tt local serve', () => {
  const served = useServe();
  const call = (
    key: string,
    path: string,
    init: { method?: string; body?: object; headers?: Record<string, string> } = {},
  ) => served.call(path, { key, ...init });
  /**
   * The typed client for setup and reads; retries off, so that what a racing request got is what the
   * test sees (a retry would hide a 5xx or turn a lost race into a win).
   */
  const as = (apiKey: string) => createTaskTrackerClient({ baseUrl: served.url, apiKey, retry: false });

  it('50 parallel creates with one Idempotency-Key make one task, and every answer names it', async () => {
    const key = 'conc-create';
    const replies = await Promise.all(
      Array.from({ length: 50 }, () =>
        call(key, '/tasks', {
          method: 'POST',
          body: { title: 'only once', priority: 'high' },
          headers: { 'Idempotency-Key': 'one-key-for-fifty' },
        }),
      ),
    );
    expect(tally(replies.map((reply) => reply.status))).toEqual({ 201: 50 });
    const ids = new Set(replies.map((reply) => data<Task>(reply).taskId));
    expect(ids.size).toBe(1);
    const fresh = replies.filter((reply) => reply.headers.get('idempotent-replayed') !== 'true');
    expect(fresh).toHaveLength(1);
    const listed = (await as(key).tasks.list({ limit: 100 })).items;
    expect(listed.map((task) => task.taskId)).toEqual([...ids]);
    console.log(`concurrency: 50 duplicate creates -> 1 task, ${50 - fresh.length} replays`);
  });

  it('50 parallel bulk runs with one Idempotency-Key run once; duplicates replay or are told it is in progress', async () => {
    const key = 'conc-bulk';
    const task = await as(key).tasks.create({ title: 'complete me' });
    const replies = await Promise.all(
      Array.from({ length: 50 }, () =>
        call(key, '/tasks/bulk', {
          method: 'POST',
          body: { action: 'complete', ids: [task.taskId] },
          headers: { 'Idempotency-Key': 'one-bulk-key' },
        }),
      ),
    );
    const outcomes = tally(
      replies.map((reply) =>
        reply.status === 200
          ? reply.headers.get('idempotent-replayed') === 'true'
            ? 'replayed'
            : 'ran'
          : `${reply.status} ${errorCode(reply)}`,
      ),
    );
    // The bulk route claims the key before it works (runOnce): a duplicate meanwhile is a 409, by design.
    expect(outcomes.ran).toBe(1);
    const allowed = ['ran', 'replayed', '409 IDEMPOTENCY_IN_PROGRESS'];
    expect(Object.keys(outcomes).filter((outcome) => !allowed.includes(outcome))).toEqual([]);
    for (const reply of replies.filter((reply) => reply.status === 200)) {
      expect(data<BulkResult>(reply).counts.updated).toBe(1);
    }
    expect((await as(key).tasks.get(task.taskId)).version).toBe(2);
    // Once the run is over, the same request replays its result.
    const after = await call(key, '/tasks/bulk', {
      method: 'POST',
      body: { action: 'complete', ids: [task.taskId] },
      headers: { 'Idempotency-Key': 'one-bulk-key' },
    });
    expect(after.headers.get('idempotent-replayed')).toBe('true');
    expect(data<BulkResult>(after).counts.updated).toBe(1);
    console.log(`concurrency: 50 duplicate bulk runs -> ${JSON.stringify(outcomes)}`);
  });

  it('20 parallel updates with the same expectedVersion: exactly one wins, 19 get VERSION_CONFLICT', async () => {
    const client = as('conc-update');
    const task = await client.tasks.create({ title: 'contested' });
    const settled = await Promise.allSettled(
      Array.from({ length: 20 }, (_, index) =>
        client.tasks.update(task.taskId, { title: `writer ${index}`, expectedVersion: task.version }),
      ),
    );
    expect(tally(settled.map(outcomeOf))).toEqual({ 200: 1, '409 VERSION_CONFLICT': 19 });
    const winner = settled.flatMap((outcome) => (outcome.status === 'fulfilled' ? [outcome.value] : []))[0];
    const stored = await client.tasks.get(task.taskId);
    expect(stored).toEqual(winner);
    expect(stored.version).toBe(task.version + 1);
  });

  it('20 parallel updates with the same ETag in If-Match: exactly one wins, 19 get 412 PRECONDITION_FAILED', async () => {
    const client = as('conc-if-match');
    const { taskId } = await client.tasks.create({ title: 'contested by tag' });
    const reply = await call('conc-if-match', `/tasks/${taskId}`);
    const etag = reply.headers.get('etag')!;
    const settled = await Promise.allSettled(
      Array.from({ length: 20 }, (_, index) =>
        client.tasks.update(taskId, { title: `tagged writer ${index}` }, { ifMatch: etag }),
      ),
    );
    expect(tally(settled.map(outcomeOf))).toEqual({ 200: 1, '412 PRECONDITION_FAILED': 19 });
    expect((await client.tasks.get(taskId)).version).toBe(2);
  });

  /** Each category's stored taskCount, and a fresh count of its tasks. */
  const countsOf = async (categories: string[]) => {
    const client = as('conc-move');
    const listed = await client.categories.list();
    const counted = await Promise.all(
      categories.map(
        async (categoryId) => (await client.tasks.list({ categoryId, limit: 100 })).items.length,
      ),
    );
    const stored = categories.map((id) => listed.find((category) => category.categoryId === id)!.taskCount);
    return [stored, counted] as const;
  };

  it('20 parallel moves between two categories, in 3 rounds: both taskCounts equal a fresh count', async () => {
    const key = 'conc-move';
    const client = as(key);
    const [x, y] = await Promise.all(['X', 'Y'].map((name) => client.categories.create({ name })));
    const categories = [x!.categoryId, y!.categoryId];
    const tasks: string[] = [];
    for (let index = 0; index < 8; index++) {
      const created = await client.tasks.create({
        title: `mover ${index}`,
        categoryId: categories[index % 2],
      });
      tasks.push(created.taskId);
    }
    const statuses: string[] = [];
    let finals: number[] = [];
    for (let round = 0; round < 3; round++) {
      const replies = await Promise.all(
        Array.from({ length: 20 }, (_, index) => {
          const target = categories[(index + round) % 2]!;
          // Half move one task with PUT, half move overlapping sets with a bulk move: the same tasks race.
          if (index % 2 === 0) {
            return call(key, `/tasks/${tasks[index % tasks.length]}`, {
              method: 'PUT',
              body: { categoryId: target },
            });
          }
          const ids = tasks.filter((_, position) => (position + index) % 3 !== 0);
          return call(key, '/tasks/bulk', {
            method: 'POST',
            body: { action: 'move', ids, categoryId: target },
          });
        }),
      );
      statuses.push(...replies.map((reply) => `${reply.status} ${errorCode(reply) ?? ''}`.trim()));
      // After every round: the stored counters against a fresh count of the tasks in each category.
      const [stored, counted] = await countsOf(categories);
      expect(stored, `round ${round}`).toEqual(counted);
      expect(counted[0]! + counted[1]!).toBe(tasks.length);
      finals = stored;
    }
    // A move without an expected version re-reads and retries a lost race (5 times); one that loses
    // them all is refused with VERSION_CONFLICT, never applied halfway or lost. Nothing else may happen.
    expect(
      Object.keys(tally(statuses)).filter((status) => status !== '200' && status !== '409 VERSION_CONFLICT'),
    ).toEqual([]);
    expect(tally(statuses)['200']).toBeGreaterThanOrEqual(40);
    console.log(
      `concurrency: 60 racing moves (${JSON.stringify(tally(statuses))}) -> taskCounts equal fresh counts after each round (last ${finals.join('/')})`,
    );
  });
});

/**
 * The library path, on the shared engine: moves, updates, bulk moves, creates and deletes racing a
 * category delete that reassigns its tasks. Whatever wins, no task may point at a deleted category
 * and every category's taskCount must equal its tasks.
 */
describe.skipIf(noEngine)('concurrency in the core services: moves racing a category delete', () => {
  let tables: TestTables;
  let tracker: TaskTracker;
  beforeAll(async () => {
    tables = await createTestTables(inject('dynamoEndpoint'));
    tracker = createTaskTracker({ client: tables.client, tables: tables.tables });
  });
  afterAll(() => tables?.drop());

  it('40 racing operations leave no orphan task and exact taskCounts', async () => {
    const user = 'core-race';
    const [x, y, doomed] = await Promise.all(
      ['X', 'Y', 'Doomed'].map((name) => tracker.categories.create(user, { name }).then((out) => out.result)),
    );
    const categories = [x!.categoryId, y!.categoryId, doomed!.categoryId];
    const tasks: string[] = [];
    for (let index = 0; index < 12; index++) {
      const created = await tracker.tasks.create(user, {
        title: `t${index}`,
        categoryId: categories[index % 3],
      });
      tasks.push(created.result.taskId);
    }
    const operations = Array.from({ length: 40 }, (_, index) => {
      const target = categories[(index * 7) % 3]!;
      const task = tasks[(index * 5) % tasks.length]!;
      switch (index % 5) {
        case 0:
          return () => tracker.tasks.update(user, task, { categoryId: target });
        case 1:
          return () =>
            tracker.tasks.moveToCategory(
              user,
              tasks.filter((_, at) => (at + index) % 2 === 0),
              target,
            );
        case 2:
          return () => tracker.tasks.create(user, { title: `late ${index}`, categoryId: target });
        case 3:
          return () => tracker.tasks.update(user, task, { categoryId: null });
        default:
          return index === 24
            ? () => tracker.categories.delete(user, doomed!.categoryId, { reassignTo: x!.categoryId })
            : () => tracker.tasks.moveToCategory(user, [task], target);
      }
    });
    const settled = await Promise.allSettled(operations.map((operation) => operation()));
    const failures = settled.flatMap((outcome) => (outcome.status === 'rejected' ? [outcome.reason] : []));
    // A move into the deleted category may be refused as naming a category that is gone, and (as on
    // the HTTP path above) a write that loses every one of its retried races is refused with
    // VERSION_CONFLICT, never applied halfway; nothing else.
    for (const failure of failures) {
      expect(isTaskTrackerError(failure), String(failure)).toBe(true);
      expect(['VALIDATION_ERROR', 'RESOURCE_NOT_FOUND', 'CATEGORY_NOT_EMPTY', 'VERSION_CONFLICT']).toContain(
        failure.code,
      );
    }

    const all: { categoryId?: string | undefined }[] = [];
    for await (const task of tracker.tasks.iterate(user)) all.push(task);
    const existing = await tracker.categories.list(user);
    const known = new Set(existing.map((category) => category.categoryId));
    const orphans = all.filter((task) => task.categoryId && !known.has(task.categoryId));
    expect(orphans).toEqual([]);
    for (const category of existing) {
      expect(category.taskCount, category.name).toBe(
        all.filter((task) => task.categoryId === category.categoryId).length,
      );
    }
    const bulkItems = settled.flatMap((outcome) =>
      outcome.status === 'fulfilled' && outcome.value && 'results' in outcome.value
        ? outcome.value.results
        : [],
    );
    const bulkTally: Record<string, number> = {};
    for (const item of bulkItems) {
      const name = item.message ? `${item.status}: ${item.message}` : item.status;
      bulkTally[name] = (bulkTally[name] ?? 0) + 1;
    }
    // Per-item outcomes are honest, never silent: a task that lost every retry to another writer is a
    // `conflict`, and one whose target category was deleted under it is `failed` naming that category.
    const unexpected = bulkItems.filter(
      (item) =>
        !(
          item.status === 'updated' ||
          item.status === 'conflict' ||
          (item.status === 'failed' && item.message?.includes(doomed!.categoryId))
        ),
    );
    expect(unexpected).toEqual([]);
    console.log(
      `concurrency (core): 40 racing operations, ${failures.length} refused (${[...new Set(failures.map((failure) => failure.code))].join(', ') || 'none'}), category deleted: ${!known.has(doomed!.categoryId)}, bulk items ${JSON.stringify(bulkTally)}, ${all.length} tasks, counts exact`,
    );
  });
});
