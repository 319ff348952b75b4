/**
 * pnpm bench:core — the core library against raw SDK loops, side by side on one DynamoDB Local:
 * bulk create of 10,000 tasks (service vs BatchWriteItem, same concurrency) and CSV export of 10,000 and
 * 50,000 tasks (service vs paginated Query), with each export's peak RSS measured in its own process.
 * Rounds alternate A and B because this machine is noisy; we report medians and ratios.
 */
import { execFileSync } from 'node:child_process';
import type { Task } from '@tasktracker/core';
import { monotonicFactory } from 'ulid';
// The raw baseline writes items of exactly our stored shape, so both sides move the same bytes.
import { toTaskItem } from '../packages/core/src/tasks/item.ts';
import { rawBatchWrite as batchWrite, CONCURRENCY, startBenchEngine } from './lib/dynamo.ts';
import { median, type Row, saveAndPrint } from './lib/report.ts';

const nextId = monotonicFactory();
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const CREATE_COUNT = 10_000;

const { engine, tables, tracker } = await startBenchEngine();

const inputs = (n: number) =>
  Array.from({ length: n }, (_, i) => ({
    input: {
      title: `Benchmark task ${i}`,
      description: `Row ${i} of the benchmark, with some words to search`,
      priority: (['low', 'medium', 'high'] as const)[i % 3] ?? 'medium',
    },
  }));

const rawBatchWrite = (items: Record<string, unknown>[]) =>
  batchWrite(tracker.context.doc, tables.tasks, items);

function rawTasks(userId: string, n: number): Record<string, unknown>[] {
  const now = Date.now();
  return inputs(n).map(({ input }) => {
    const taskId = nextId(now);
    const task: Task = {
      userId,
      taskId,
      title: input.title,
      description: input.description,
      completed: false,
      priority: input.priority,
      createdAt: new Date(now).toISOString(),
      updatedAt: new Date(now).toISOString(),
      version: 1,
    };
    return toTaskItem(task);
  });
}

console.log(`DynamoDB Local at ${engine.endpoint}; ${ROUNDS} alternating rounds`);
const createMs = { ours: [] as number[], raw: [] as number[] };
for (let round = 0; round < ROUNDS; round++) {
  const rawItems = rawTasks(`raw-create-${round}`, CREATE_COUNT);
  let started = performance.now();
  await rawBatchWrite(rawItems);
  createMs.raw.push(performance.now() - started);
  started = performance.now();
  const created = await tracker.tasks.createMany(`ours-create-${round}`, inputs(CREATE_COUNT), {
    concurrency: CONCURRENCY,
  });
  createMs.ours.push(performance.now() - started);
  const ok = created.filter((item) => item.status === 'created').length;
  if (ok !== CREATE_COUNT) throw new Error(`service created ${ok} of ${CREATE_COUNT}`);
  console.log(
    `create round ${round + 1}: raw ${createMs.raw.at(-1)!.toFixed(0)} ms, ours ${createMs.ours.at(-1)!.toFixed(0)} ms`,
  );
}

// Informational: tasks spread over 8 categories go in transactions that keep each taskCount exact.
const categorised = await (async () => {
  const user = 'ours-categorised';
  const ids: string[] = [];
  for (let c = 0; c < 8; c++)
    ids.push((await tracker.categories.create(user, { name: `Category ${c}` })).result.categoryId);
  const requests = inputs(CREATE_COUNT).map((request, i) => ({
    input: { ...request.input, categoryId: ids[i % 8] },
  }));
  const started = performance.now();
  const created = await tracker.tasks.createMany(user, requests, { concurrency: CONCURRENCY });
  const ms = performance.now() - started;
  const counted = (await tracker.categories.list(user)).reduce(
    (sum, category) => sum + category.taskCount,
    0,
  );
  if (counted !== CREATE_COUNT || created.some((item) => item.status !== 'created'))
    throw new Error('categorised create lost items');
  return { ms, itemsPerSecond: (CREATE_COUNT / ms) * 1000 };
})();
console.log(`categorised create: ${categorised.ms.toFixed(0)} ms`);

const exportResults: Record<
  string,
  { ours: number[]; raw: number[]; rssOurs: number[]; rssRaw: number[]; bytes: number }
> = {};
for (const size of [10_000, 50_000]) {
  const userId = `export-${size}`;
  await rawBatchWrite(rawTasks(userId, size));
  const result = {
    ours: [] as number[],
    raw: [] as number[],
    rssOurs: [] as number[],
    rssRaw: [] as number[],
    bytes: 0,
  };
  for (let round = 0; round < ROUNDS; round++) {
    for (const mode of ['raw', 'ours'] as const) {
      const output = execFileSync(
        process.execPath,
        [
          '--conditions=@tasktracker/source',
          '--import',
          'tsx',
          'bench/export-worker.ts',
          mode,
          engine.endpoint,
          JSON.stringify(tables),
          userId,
        ],
        { encoding: 'utf8' },
      );
      const measured = JSON.parse(output) as { rows: number; ms: number; maxRssMB: number; bytes: number };
      if (measured.rows !== size) throw new Error(`${mode} export read ${measured.rows} of ${size} rows`);
      result[mode].push(measured.ms);
      (mode === 'ours' ? result.rssOurs : result.rssRaw).push(measured.maxRssMB);
      if (mode === 'ours') result.bytes = measured.bytes;
    }
    console.log(
      `export ${size} round ${round + 1}: raw ${result.raw.at(-1)!.toFixed(0)} ms, ours ${result.ours.at(-1)!.toFixed(0)} ms`,
    );
  }
  exportResults[size] = result;
}
await engine.stop();

const perSecond = (count: number, ms: number) => (count / ms) * 1000;
const rows: Row[] = [];
const createOurs = perSecond(CREATE_COUNT, median(createMs.ours));
const createRaw = perSecond(CREATE_COUNT, median(createMs.raw));
rows.push({
  benchmark: 'bulk create 10k (items/s)',
  ours: createOurs.toFixed(0),
  baseline: `${createRaw.toFixed(0)} raw BatchWriteItem`,
  ratio: createOurs / createRaw,
  goal: '>= 0.8',
  pass: createOurs / createRaw >= 0.8,
});
for (const [size, result] of Object.entries(exportResults)) {
  const ours = perSecond(Number(size), median(result.ours));
  const raw = perSecond(Number(size), median(result.raw));
  rows.push({
    benchmark: `export ${size} CSV (rows/s)`,
    ours: ours.toFixed(0),
    baseline: `${raw.toFixed(0)} raw Query loop`,
    ratio: ours / raw,
    goal: '>= 0.8',
    pass: ours / raw >= 0.8,
  });
}
const rss10 = median(exportResults[10_000]!.rssOurs);
const rss50 = median(exportResults[50_000]!.rssOurs);
rows.push({
  benchmark: 'export peak RSS 10k -> 50k (MB)',
  ours: `${rss10.toFixed(0)} -> ${rss50.toFixed(0)}`,
  baseline: `${median(exportResults[10_000]!.rssRaw).toFixed(0)} -> ${median(exportResults[50_000]!.rssRaw).toFixed(0)} raw`,
  ratio: rss50 - rss10,
  goal: '+50 MB or less',
  pass: rss50 - rss10 <= 50,
});
rows.push({
  benchmark: 'bulk create 10k in 8 categories (items/s)',
  ours: categorised.itemsPerSecond.toFixed(0),
  baseline: `${createRaw.toFixed(0)} raw (keeps no counts)`,
  ratio: categorised.itemsPerSecond / createRaw,
  goal: 'info',
  pass: true,
});
saveAndPrint('core', rows, { rounds: ROUNDS, concurrency: CONCURRENCY, createMs, exportResults });
