import { text } from 'node:stream/consumers';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  type BulkResult,
  createTaskTracker,
  type NewTaskRequest,
  parseImportFile,
  type TableNames,
  type TaskTracker,
} from '@tasktracker/core';
import { localDynamoClient } from '@tasktracker/local';
import { createTestTables } from '@tasktracker/local/testing';
import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { FAULT_KINDS, type FaultKind, type FaultProxy, startFaultProxy } from '../support/fault-proxy.ts';
import { readUserState } from '../support/fault-tables.ts';

const endpoint = inject('dynamoEndpoint');
if (!endpoint) console.warn('[reliability] faults suite skipped: DynamoDB Local is not available');

/** 20% of requests get a fault; the seed makes the sequence of faults the same on every run. */
const FAULT_RATE = 0.2;
const SEED = Number(process.env.RELIABILITY_SEED ?? 20_261_130);
const TASKS = 192;
const SINGLES = 60;
/** Items per service call: small, so that many calls (and many requests) meet faults. */
const CHUNK = 8;

describe.skipIf(!endpoint)('core services through a proxy injecting DynamoDB faults', () => {
  let proxy: FaultProxy;
  let direct: DynamoDBClient;
  let proxied: DynamoDBClient;
  let tables: TableNames;
  let tracker: TaskTracker;
  let drop: () => Promise<void>;
  let itemsChecked = 0;
  let losses = 0;
  let duplicates = 0;
  let aimedFaults = 0;
  const sdkGaveUp: Record<string, number> = {};

  beforeAll(async () => {
    const created = await createTestTables(endpoint);
    ({ client: direct, tables, drop } = created);
    proxy = await startFaultProxy({ target: endpoint, rate: FAULT_RATE, seed: SEED });
    // Eight SDK attempts: at a 20% fault rate (far above DynamoDB's), the default four leave one read
    // in 600 with an honest SERVICE_UNAVAILABLE, and a run of hundreds of reads would fail now and then.
    // What core does once the SDK gives up on a write is covered by the aimed tests below.
    proxied = localDynamoClient(proxy.endpoint, { maxAttempts: 8 });
    // What got past the SDK's own retries, for core to handle: counted by error name.
    proxied.middlewareStack.add(
      (next) => async (args) => {
        try {
          return await next(args);
        } catch (error) {
          const name = (error as Error).name;
          sdkGaveUp[name] = (sdkGaveUp[name] ?? 0) + 1;
          throw error;
        }
      },
      { step: 'initialize', name: 'countSdkGiveUps' },
    );
    tracker = createTaskTracker({ client: proxied, tables });
  });

  afterAll(async () => {
    if (proxy) {
      const injected = Object.values(proxy.faults).reduce((sum, count) => sum + count, 0);
      console.log(
        `[reliability] faults: ${proxy.proxied} requests proxied, ${injected} faults injected ` +
          `${JSON.stringify(proxy.faults)}, by operation ${JSON.stringify(proxy.faultsByOperation)}; ` +
          `errors the SDK passed on (failed conditions included) ${JSON.stringify(sdkGaveUp)}; ` +
          `${aimedFaults} aimed faults on writes DynamoDB applied; ` +
          `${itemsChecked} items checked, ${losses} lost, ${duplicates} duplicated`,
      );
      proxied.destroy();
      await proxy.close();
    }
    await drop?.();
  });

  /** Compares what the table holds with the ids the service says it wrote. */
  async function expectExactly(userId: string, ids: string[]) {
    const state = await readUserState(direct, tables, userId);
    const stored = state.tasks.map((task) => String(task.taskId));
    const expected = new Set(ids);
    losses += ids.filter((id) => !stored.includes(id)).length;
    duplicates += stored.filter((id) => !expected.has(id)).length;
    itemsChecked += stored.length;
    expect(new Set(stored).size).toBe(stored.length);
    expect([...stored].sort()).toEqual([...expected].sort());
    expect(state.storedCounts).toEqual(state.actualCounts);
    return state;
  }

  it('bulk create, update, move and delete account for every task', async () => {
    const user = 'faults-bulk';
    const home = (await tracker.categories.create(user, { name: 'Home' })).result;
    const work = (await tracker.categories.create(user, { name: 'Work' })).result;
    // Three write paths: BatchWriteItem (no category, no key), transactions with category counts, and
    // transactions carrying each task's idempotency record. Small calls, so many requests meet faults.
    const requests: NewTaskRequest[] = Array.from({ length: TASKS }, (_, n) => ({
      input: {
        title: `task ${n}`,
        ...(n % 3 === 1 ? { categoryId: n % 2 ? home.categoryId : work.categoryId } : {}),
      },
      ...(n % 3 === 2 ? { idempotencyKey: `bulk-${n}` } : {}),
    }));
    const created = (await inChunks(requests, (chunk) => tracker.tasks.createMany(user, chunk))).flat();
    const statuses = tally(created.map((item) => item.status));
    console.log('[reliability] faults: createMany', statuses);
    const ids = created.flatMap((item) =>
      'task' in item && item.status === 'created' ? [item.task.taskId] : [],
    );
    await expectExactly(user, ids);
    expect(statuses).toEqual({ created: TASKS });

    const half = ids.slice(0, TASKS / 2);
    const completed = sumCounts(
      await inChunks(half, (chunk) => tracker.tasks.setCompleted(user, chunk, true)),
    );
    console.log('[reliability] faults: setCompleted', completed);
    expect(completed.updated).toBe(half.length);
    const afterUpdate = await expectExactly(user, ids);
    const done = afterUpdate.tasks.filter((task) => task.completed === true).map((task) => task.taskId);
    expect(done.sort()).toEqual([...half].sort());
    // Applied once: a retried write must not bump a version twice.
    const twice = afterUpdate.tasks.filter((task) => task.version !== (task.completed ? 2 : 1));
    expect(twice).toEqual([]);

    const moving = ids.slice(0, 60);
    const moved = sumCounts(
      await inChunks(moving, (chunk) => tracker.tasks.moveToCategory(user, chunk, home.categoryId)),
    );
    console.log('[reliability] faults: moveToCategory', moved);
    expect(moved.updated).toBe(moving.length);
    await expectExactly(user, ids);

    const doomed = ids.filter((_, n) => n % 2 === 0);
    const deleted = sumCounts(await inChunks(doomed, (chunk) => tracker.tasks.deleteMany(user, chunk)));
    console.log('[reliability] faults: deleteMany', deleted);
    expect(deleted).toEqual({ updated: 0, deleted: doomed.length, not_found: 0, conflict: 0, failed: 0 });
    await expectExactly(
      user,
      ids.filter((_, n) => n % 2 === 1),
    );
  }, 60_000);

  it('single creates with and without an idempotency key, updates and deletes are exact', async () => {
    const user = 'faults-single';
    const outcomes = [];
    for (let n = 0; n < SINGLES; n++) {
      const key = n % 2 ? { idempotencyKey: `single-${n}` } : {};
      outcomes.push(await tracker.tasks.create(user, { title: `single ${n}` }, key));
    }
    const ids = outcomes.map((outcome) => outcome.result.taskId);
    expect(outcomes.filter((outcome) => outcome.replayed)).toEqual([]);
    await expectExactly(user, ids);
    for (const id of ids.slice(0, SINGLES / 2)) await tracker.tasks.update(user, id, { completed: true });
    const state = await expectExactly(user, ids);
    expect(state.tasks.filter((task) => task.completed).length).toBe(SINGLES / 2);
    for (const id of ids.slice(0, SINGLES / 2)) await tracker.tasks.delete(user, id);
    await expectExactly(user, ids.slice(SINGLES / 2));
  }, 60_000);

  it('an import, and its re-run, create every row exactly once and report exact counts', async () => {
    const user = 'faults-import';
    const rows = Array.from({ length: TASKS }, (_, n) => ({
      title: `imported ${n}`,
      categoryName: n % 4 === 0 ? `List ${n % 3}` : '',
    }));
    const csv = stringify(rows, { header: true, columns: ['title', 'categoryName'] });
    const first = await tracker.tasks.import(user, parseImportFile('csv', csv), {
      source: 'faults.csv',
      batchSize: CHUNK,
    });
    console.log('[reliability] faults: import', { ...first, rejected: first.rejected.length });
    // Core retries what fails for a passing reason, so even at this fault rate nothing is left failed.
    expect(first).toMatchObject({ imported: TASKS, duplicates: 0, failed: 0, rejected: [] });
    const rerun = await tracker.tasks.import(user, parseImportFile('csv', csv), {
      source: 'faults.csv',
      batchSize: CHUNK,
    });
    console.log('[reliability] faults: import re-run', { ...rerun, rejected: rerun.rejected.length });
    expect(rerun).toMatchObject({ imported: 0, duplicates: TASKS, failed: 0, rejected: [] });
    const state = await readUserState(direct, tables, user);
    const titles = state.tasks.map((task) => String(task.title));
    expect(new Set(titles).size).toBe(titles.length);
    expect(titles.sort()).toEqual(rows.map((row) => row.title).sort());
    expect(state.storedCounts).toEqual(state.actualCounts);
    itemsChecked += titles.length;
  }, 60_000);

  /**
   * A tracker behind a proxy of its own that injects nothing but the faults aimed at the next requests
   * of one operation. Three SDK attempts, pinned so that "the SDK gave up" takes three faults whatever
   * the SDK's default.
   */
  async function aimedTracker() {
    let target = '';
    let queue: FaultKind[] = [];
    const aimed = await startFaultProxy({
      target: endpoint,
      rate: 0,
      seed: SEED,
      script: (operation) => (operation === target ? queue.shift() : undefined),
    });
    const client = localDynamoClient(aimed.endpoint, { maxAttempts: 3 });
    return {
      proxy: aimed,
      tracker: createTaskTracker({ client, tables }),
      /** Runs `call` with `faults` aimed at its first requests of `operation`; all must be used. */
      async aim<T>(operation: string, faults: FaultKind[], call: () => Promise<T>): Promise<T> {
        target = operation;
        queue = [...faults];
        const result = await call();
        expect(queue, `faults left unused on ${operation}`).toEqual([]);
        return result;
      },
      async close() {
        client.destroy();
        await aimed.close();
      },
    };
  }

  it('a connection dropped after DynamoDB applied a write: each call reports the write that happened', async () => {
    // The SDK retries the dropped call. A transaction is safe (its ClientRequestToken makes the retry a
    // no-op); a plain PutItem or DeleteItem fails its own condition on the retry: core must see that.
    const { tracker: t, aim, proxy: aimed, close } = await aimedTracker();
    const user = 'faults-dropped';
    const drop: FaultKind[] = ['dropAfterApplied'];
    try {
      const category = (await t.categories.create(user, { name: 'C' })).result;
      const plain = await aim('PutItem', drop, () => t.tasks.create(user, { title: 'plain' }));
      const keyed = await aim('TransactWriteItems', drop, () =>
        t.tasks.create(user, { title: 'keyed' }, { idempotencyKey: 'dropped-1' }),
      );
      const filed = await aim('TransactWriteItems', drop, () =>
        t.tasks.create(user, { title: 'filed', categoryId: category.categoryId }),
      );
      expect([plain.replayed, keyed.replayed, filed.replayed]).toEqual([false, false, false]);
      const ids = [plain, keyed, filed].map((outcome) => outcome.result.taskId);
      await expectExactly(user, ids);

      const updated = await aim('PutItem', drop, () =>
        t.tasks.update(user, plain.result.taskId, { completed: true, expectedVersion: 1 }),
      );
      expect(updated.version).toBe(2);
      const bulk = await aim('PutItem', drop, () => t.tasks.setCompleted(user, [keyed.result.taskId], true));
      expect(bulk.counts.updated).toBe(1);
      const state = await expectExactly(user, ids);
      expect(state.tasks.map((task) => [task.title, task.version]).sort()).toEqual([
        ['filed', 1],
        ['keyed', 2],
        ['plain', 2],
      ]);

      await aim('DeleteItem', drop, () => t.tasks.delete(user, plain.result.taskId));
      const gone = await aim('DeleteItem', drop, () => t.tasks.deleteMany(user, [keyed.result.taskId]));
      expect(gone.counts.deleted).toBe(1);
      await expectExactly(user, [filed.result.taskId]);
      expect(aimed.faults.dropAfterApplied).toBe(7);
      aimedFaults += 7;
    } finally {
      await close();
    }
  });

  it('a write applied, answered with a 500, then throttled until the SDK gives up: the retry by core is a no-op', async () => {
    // Core retries throttling with a new request after the SDK's three attempts. A transaction keeps
    // its ClientRequestToken across those retries too, a single write recognises its own item.
    const { tracker: t, aim, proxy: aimed, close } = await aimedTracker();
    const user = 'faults-500-applied';
    const faults: FaultKind[] = ['http500AfterApplied', 'throttling', 'provisionedThroughput'];
    try {
      const category = (await t.categories.create(user, { name: 'C' })).result;
      const plain = await aim('PutItem', faults, () => t.tasks.create(user, { title: 'plain' }));
      const keyed = await aim('TransactWriteItems', faults, () =>
        t.tasks.create(user, { title: 'keyed' }, { idempotencyKey: 'applied-1' }),
      );
      const filed = await aim('TransactWriteItems', faults, () =>
        t.tasks.create(user, { title: 'filed', categoryId: category.categoryId }),
      );
      expect([plain.replayed, keyed.replayed, filed.replayed]).toEqual([false, false, false]);
      const many = await aim('TransactWriteItems', faults, () =>
        t.tasks.createMany(user, [
          { input: { title: 'many 1', categoryId: category.categoryId } },
          { input: { title: 'many 2' }, idempotencyKey: 'applied-2' },
        ]),
      );
      expect(many.map((item) => item.status)).toEqual(['created', 'created']);
      const ids = [plain, keyed, filed].map((outcome) => outcome.result.taskId);
      ids.push(...many.flatMap((item) => ('task' in item ? [item.task.taskId] : [])));
      await expectExactly(user, ids);

      const moved = await aim('TransactWriteItems', faults, () =>
        t.tasks.moveToCategory(user, [plain.result.taskId], category.categoryId),
      );
      expect(moved.counts.updated).toBe(1);
      const removed = await aim('TransactWriteItems', faults, () =>
        t.tasks.deleteMany(user, ids.slice(0, 3)),
      );
      expect(removed.counts.deleted).toBe(3);
      const state = await expectExactly(user, ids.slice(3));
      expect(state.storedCounts.get(category.categoryId)).toBe(1);
      aimedFaults += Object.values(aimed.faults).reduce((sum, count) => sum + count, 0);
    } finally {
      await close();
    }
  });

  it('a write applied, then connections broken until the SDK gives up: core retries, nothing doubles', async () => {
    const { tracker: t, aim, proxy: aimed, close } = await aimedTracker();
    const user = 'faults-broken';
    const faults: FaultKind[] = ['dropAfterApplied', 'dropBeforeForward', 'dropBeforeForward'];
    try {
      const category = (await t.categories.create(user, { name: 'C' })).result;
      const plain = await aim('PutItem', faults, () => t.tasks.create(user, { title: 'plain' }));
      const filed = await aim('TransactWriteItems', faults, () =>
        t.tasks.create(user, { title: 'filed', categoryId: category.categoryId }),
      );
      const batch = await aim('BatchWriteItem', faults, () =>
        t.tasks.createMany(user, [{ input: { title: 'batched 1' } }, { input: { title: 'batched 2' } }]),
      );
      expect(batch.map((item) => item.status)).toEqual(['created', 'created']);
      const rows = parseImportFile('csv', 'title,categoryName\r\nimported 1,C\r\nimported 2,\r\n');
      const report = await aim('TransactWriteItems', faults, () =>
        t.tasks.import(user, rows, { source: 'broken.csv' }),
      );
      expect(report).toMatchObject({ imported: 2, duplicates: 0, failed: 0, rejected: [] });
      const state = await readUserState(direct, tables, user);
      expect(state.tasks.map((task) => task.title).sort()).toEqual([
        'batched 1',
        'batched 2',
        'filed',
        'imported 1',
        'imported 2',
        'plain',
      ]);
      const storedIds = state.tasks.map((task) => task.taskId);
      expect(storedIds).toContain(plain.result.taskId);
      expect(storedIds).toContain(filed.result.taskId);
      expect(state.storedCounts).toEqual(new Map([[category.categoryId, 2]]));
      expect(state.actualCounts).toEqual(state.storedCounts);
      itemsChecked += state.tasks.length;
      aimedFaults += Object.values(aimed.faults).reduce((sum, count) => sum + count, 0);
    } finally {
      await close();
    }
  });

  it('runOnce whose claim was dropped after it landed runs the work once, not "in progress"', async () => {
    // runOnce (the bulk handlers' idempotency) claims its key with a plain conditional PutItem.
    const { tracker: t, aim, close } = await aimedTracker();
    const request = { userId: 'faults-run-once', key: 'run-once-1', operation: 'probe', payload: { n: 1 } };
    let runs = 0;
    try {
      const first = await aim('PutItem', ['dropAfterApplied'], () =>
        t.idempotency.runOnce(request, async () => ({ run: ++runs })),
      );
      expect(first).toEqual({ result: { run: 1 }, replayed: false });
      const again = await t.idempotency.runOnce(request, async () => ({ run: ++runs }));
      expect(again).toEqual({ result: { run: 1 }, replayed: true });
      expect(runs).toBe(1);
      aimedFaults += 1;
    } finally {
      await close();
    }
  });

  it('an export lists every task exactly once, in CSV and in JSON Lines', async () => {
    for (const [user, format] of [
      ['faults-bulk', 'jsonl'],
      ['faults-import', 'csv'],
    ] as const) {
      const body = await text(tracker.tasks.export(user, {}, { format }));
      const exported =
        format === 'csv'
          ? (parse(body, { columns: true }) as Record<string, string>[]).map((row) => String(row.taskId))
          : body
              .trim()
              .split('\n')
              .map((line) => String(JSON.parse(line).taskId));
      const state = await readUserState(direct, tables, user);
      expect(exported.length).toBeGreaterThan(0);
      expect(exported.sort()).toEqual(state.tasks.map((task) => String(task.taskId)).sort());
      itemsChecked += exported.length;
    }
  }, 60_000);

  it('injected every kind of fault in the random mix', () => {
    for (const kind of FAULT_KINDS) expect(proxy.faults[kind], kind).toBeGreaterThan(0);
  });
});

function tally(values: string[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const value of values) counts[value] = (counts[value] ?? 0) + 1;
  return counts;
}

async function inChunks<T, R>(items: T[], call: (chunk: T[]) => Promise<R>): Promise<R[]> {
  const results: R[] = [];
  for (let start = 0; start < items.length; start += CHUNK)
    results.push(await call(items.slice(start, start + CHUNK)));
  return results;
}

function sumCounts(results: BulkResult[]): BulkResult['counts'] {
  const total = { updated: 0, deleted: 0, not_found: 0, conflict: 0, failed: 0 };
  for (const { counts } of results)
    for (const [status, count] of Object.entries(counts)) total[status as keyof typeof total] += count;
  return total;
}
