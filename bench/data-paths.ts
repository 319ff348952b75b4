/**
 * `pnpm bench:data [--sizes 10000,50000]`: the service's data paths against hand-written SDK loops on
 * one DynamoDB Local, for one user holding 10k and 50k tasks, same concurrency on both sides:
 *   - bulk create (createMany vs BatchWriteItem), at sizes above the 10k that bench:core measures;
 *   - every list filter and sort, walked page by page to the end (list, 100 a page, vs a Query loop),
 *     with the items DynamoDB read per item returned (ScannedCount / Count); a short walk is repeated
 *     so that each timed sample lasts 300 ms or more;
 *   - bulk update (setCompleted, 1,000 ids a call, vs one UpdateItem per task).
 * CSV export of 10k and 50k is bench:core's. Rounds alternate A and B and which goes first; medians.
 * First, the cost per operation in capacity units (bench/lib/capacity.ts), saved as data-capacity.json;
 * `--capacity-only` stops there.
 */
import { parseArgs } from 'node:util';
import { QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { MAX_BULK_IDS, type TaskFilter } from '@tasktracker/core';
import { planTaskQuery } from '../packages/core/src/tasks/query-plan.ts';
import { benchCapacity } from './lib/capacity.ts';
import { CONCURRENCY, countQueryReads, inPool, rawBatchWrite, startBenchEngine } from './lib/dynamo.ts';
import { type ListCase, listCases } from './lib/list-cases.ts';
import { median, type Row, saveAndPrint } from './lib/report.ts';
import { categoryIds, taskItems } from './lib/task-data.ts';

const { values: flags } = parseArgs({
  options: {
    sizes: { type: 'string', default: '10000,50000' },
    // Only the cost per operation (bench/results/data-capacity.json), not the data paths.
    'capacity-only': { type: 'boolean', default: false },
  },
});
const SIZES = flags.sizes.split(',').map(Number);

// Cost per operation first, on an engine of its own; saved as a suite of its own.
const capacity = await benchCapacity();
saveAndPrint('data-capacity', capacity.rows, capacity.details);
if (flags['capacity-only']) process.exit(0);

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
/** bench:core already measures bulk create of 10k tasks. */
const CORE_CREATE_COUNT = 10_000;
const PAGE = 100;
const THROUGHPUT_GOAL = 0.8;
const READS_GOAL = 1.5;

const { engine, client, tables, tracker } = await startBenchEngine();
const reads = countQueryReads(client);
const doc = tracker.context.doc;
const benchStarted = performance.now();
console.log(`DynamoDB Local at ${engine.endpoint}; sizes ${SIZES.join(', ')}; ${ROUNDS} alternating rounds`);

/** Times A and B `ROUNDS` times each, alternating which runs first. */
async function alternate(a: () => Promise<void>, b: () => Promise<void>) {
  const ms = { a: [] as number[], b: [] as number[] };
  const timed = async (side: 'a' | 'b', work: () => Promise<void>) => {
    const started = performance.now();
    await work();
    ms[side].push(performance.now() - started);
  };
  for (let round = 0; round < ROUNDS; round++) {
    if (round % 2 === 0) {
      await timed('a', a);
      await timed('b', b);
    } else {
      await timed('b', b);
      await timed('a', a);
    }
  }
  return ms;
}

const perSecond = (count: number, ms: number[]) => (count / median(ms)) * 1000;
const fmt = (value: number) => value.toFixed(0);
const rows: Row[] = [];
const details: Record<string, unknown> = {};

function throughputRow(benchmark: string, count: number, ms: { a: number[]; b: number[] }, raw: string) {
  const [ours, base] = [perSecond(count, ms.a), perSecond(count, ms.b)];
  rows.push({
    benchmark,
    ours: fmt(ours),
    baseline: `${fmt(base)} ${raw}`,
    ratio: ours / base,
    goal: `>= ${THROUGHPUT_GOAL}`,
    pass: ours / base >= THROUGHPUT_GOAL,
  });
  details[benchmark] = ms;
}

async function benchCreate(size: number) {
  let round = 0;
  const fresh = () => taskItems(`create-${size}-${round++}`, size, []);
  const ms = await alternate(
    async () => {
      const items = fresh();
      const requests = items.map((item) => ({
        input: {
          title: item.title,
          description: item.description,
          priority: item.priority,
          completed: item.completed,
          dueDate: item.dueDate,
        },
      }));
      const created = await tracker.tasks.createMany(items[0]?.userId ?? '', requests, {
        concurrency: CONCURRENCY,
      });
      const ok = created.filter((item) => item.status === 'created').length;
      if (ok !== size) throw new Error(`createMany created ${ok} of ${size}`);
    },
    () => rawBatchWrite(doc, tables.tasks, fresh()),
  );
  throughputRow(`bulk create ${size / 1000}k (items/s)`, size, ms, 'raw BatchWriteItem');
}

/** How many items a walk returned, the items DynamoDB read for each, and the Query calls it took. */
interface Walk {
  returned: number;
  readPerReturned: number;
  queries: number;
}

async function walkService(userId: string, filter: Partial<TaskFilter>): Promise<Walk> {
  reads.reset();
  let returned = 0;
  let cursor: string | undefined;
  do {
    const page = await tracker.tasks.list(userId, { ...filter, limit: PAGE, cursor });
    returned += page.items.length;
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
  return { returned, readPerReturned: reads.scanned / Math.max(1, returned), queries: reads.queries };
}

async function walkRaw(listCase: ListCase): Promise<Walk> {
  reads.reset();
  let returned = 0;
  let startKey: Record<string, unknown> | undefined;
  do {
    const page = await doc.send(
      new QueryCommand({
        TableName: tables.tasks,
        ...listCase.raw,
        ExclusiveStartKey: startKey,
        // A page of what the caller sees; with a filter a hand-written loop asks for more per call.
        Limit: listCase.raw.FilterExpression ? 1_000 : PAGE,
      }),
    );
    returned += page.Items?.length ?? 0;
    startKey = page.LastEvaluatedKey;
  } while (startKey);
  return { returned, readPerReturned: reads.scanned / Math.max(1, returned), queries: reads.queries };
}

/** The filters a request names, in the query planner's vocabulary, that its key does not serve. */
function unindexedFilters(userId: string, filter: Partial<TaskFilter>): string[] {
  const named = [
    filter.categoryId && 'categoryId',
    filter.status && 'status',
    filter.priority && 'priority',
    (filter.dueAfter || filter.dueBefore) && 'due',
    (filter.createdAfter || filter.createdBefore) && 'created',
    filter.q && 'q',
  ].filter((name): name is string => Boolean(name));
  const plan = planTaskQuery(userId, { sort: 'createdAt', ...filter });
  return named.filter((name) => !plan.indexedFilters.includes(name));
}

/** A timed sample shorter than this is mostly scheduler noise on a busy machine: short walks repeat. */
const MIN_SAMPLE_MS = 300;

async function benchLists(size: number, userId: string, categoryId: string) {
  for (const listCase of listCases(userId, categoryId)) {
    const started = performance.now();
    await walkService(userId, listCase.filter);
    const repeats = Math.max(1, Math.ceil(MIN_SAMPLE_MS / (performance.now() - started)));
    let ours: Walk | undefined;
    let raw: Walk | undefined;
    const ms = await alternate(
      async () => {
        for (let i = 0; i < repeats; i++) ours = await walkService(userId, listCase.filter);
      },
      async () => {
        for (let i = 0; i < repeats; i++) raw = await walkRaw(listCase);
      },
    );
    if (!ours || !raw || ours.returned !== raw.returned) {
      throw new Error(`${listCase.name}: list returned ${ours?.returned}, raw Query ${raw?.returned}`);
    }
    const unindexed = unindexedFilters(userId, listCase.filter);
    const [oursRate, rawRate] = [
      perSecond(ours.returned * repeats, ms.a),
      perSecond(raw.returned * repeats, ms.b),
    ];
    const fast = oursRate / rawRate >= THROUGHPUT_GOAL;
    const lean = ours.readPerReturned <= READS_GOAL;
    const benchmark = `list ${size / 1000}k: ${listCase.name} (items/s; read/returned)`;
    rows.push({
      benchmark,
      ours: `${fmt(oursRate)}; ${ours.readPerReturned.toFixed(2)}`,
      baseline: `${fmt(rawRate)}; ${raw.readPerReturned.toFixed(2)} raw Query`,
      ratio: oursRate / rawRate,
      goal:
        unindexed.length > 0
          ? `>= ${THROUGHPUT_GOAL}; reads not judged (unindexed: ${unindexed.join(', ')})`
          : `>= ${THROUGHPUT_GOAL}; <= ${READS_GOAL}`,
      pass: fast && (unindexed.length > 0 || lean),
    });
    details[benchmark] = { ms, repeats, returned: ours.returned, ours, raw, unindexed };
    console.log(
      `${benchmark}: ${ours.returned} items x${repeats}, ours ${fmt(median(ms.a))} ms, raw ${fmt(median(ms.b))} ms`,
    );
  }
}

async function benchUpdate(size: number, userId: string, ids: string[]) {
  // Each run flips every task, whichever side runs, so both always change every item.
  let completed = true;
  const now = () => new Date().toISOString();
  const ms = await alternate(
    async () => {
      completed = !completed;
      for (let start = 0; start < ids.length; start += MAX_BULK_IDS) {
        const chunk = ids.slice(start, start + MAX_BULK_IDS);
        const { counts } = await tracker.tasks.setCompleted(userId, chunk, completed);
        if (counts.updated !== chunk.length) throw new Error(`setCompleted: ${JSON.stringify(counts)}`);
      }
    },
    async () => {
      completed = !completed;
      const statusKey = `${userId}#${completed ? 'completed' : 'open'}`;
      await inPool(ids.length, async (index) => {
        await doc.send(
          new UpdateCommand({
            TableName: tables.tasks,
            Key: { userId, taskId: ids[index] },
            UpdateExpression: 'SET completed = :c, statusKey = :s, updatedAt = :t ADD version :one',
            ConditionExpression: 'attribute_exists(taskId)',
            ExpressionAttributeValues: { ':c': completed, ':s': statusKey, ':t': now(), ':one': 1 },
          }),
        );
      });
    },
  );
  throughputRow(`bulk update ${size / 1000}k (items/s)`, size, ms, 'raw UpdateItem');
}

/** One unmeasured pass of every path on a small data set, so that no measured round pays for JIT. */
async function warmUp() {
  const userId = 'warm-up';
  const categories = categoryIds();
  await rawBatchWrite(doc, tables.tasks, taskItems(userId, 1_000, categories));
  const requests = taskItems('warm-up-create', 1_000, []).map((item) => ({ input: { title: item.title } }));
  await tracker.tasks.createMany('warm-up-create', requests, { concurrency: CONCURRENCY });
  for (const listCase of listCases(userId, categories[0] ?? '')) {
    await walkService(userId, listCase.filter);
    await walkRaw(listCase);
  }
}

await warmUp();
for (const size of SIZES) {
  const sizeStarted = performance.now();
  if (size > CORE_CREATE_COUNT) await benchCreate(size);
  const userId = `list-${size}`;
  const categories = categoryIds();
  const items = taskItems(userId, size, categories);
  await rawBatchWrite(doc, tables.tasks, items);
  await benchLists(size, userId, categories[0] ?? '');
  await benchUpdate(
    size,
    userId,
    items.map((item) => item.taskId),
  );
  const seconds = (performance.now() - sizeStarted) / 1000;
  details[`seconds at ${size}`] = seconds;
  console.log(`size ${size} done in ${seconds.toFixed(0)} s`);
}
await engine.stop();

const seconds = Math.round((performance.now() - benchStarted) / 1000);
saveAndPrint('data-paths', rows, {
  rounds: ROUNDS,
  concurrency: CONCURRENCY,
  sizes: SIZES,
  seconds,
  note: 'shared 2-core machine with other jobs running: expect noise',
  details,
});
