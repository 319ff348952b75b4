/**
 * `pnpm bench:exports [--sizes 50000,100000,200000]`: an export of one user's newest 50k, 100k and
 * 200k tasks through the export handler, each in a fresh process (bench/exports-worker.ts) so that its
 * peak RSS is its own, beside a bare Query loop over the same tasks in the same kind of process. The
 * goal is memory that does not grow with the file: RSS(200k) - RSS(50k) <= 50 MB, measured with the
 * heap capped (HEAP_CAP_MB, below) so that what V8 has not collected yet does not count; the default
 * heap's figures are reported beside it. Tasks are written
 * with BatchWriteItem straight into DynamoDB Local; the bucket is the local S3 (s3rver) of
 * `tt local serve`, in this process.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs, promisify } from 'node:util';
import { LOCAL_CREDENTIALS, LOCAL_REGION, startLocalS3 } from '@tasktracker/local';
import { rawBatchWrite, startBenchEngine } from './lib/dynamo.ts';
import { median, type Row, saveAndPrint } from './lib/report.ts';
import { DATA_START, taskItems } from './lib/task-data.ts';

const { values: flags } = parseArgs({
  options: { sizes: { type: 'string', default: '50000,100000,200000' } },
});
const SIZES = flags.sizes
  .split(',')
  .map(Number)
  .sort((a, b) => a - b);
const LARGEST = SIZES.at(-1) ?? 0;
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const GROWTH_GOAL_MB = 50;
/**
 * V8 sizes its heap to the machine: with memory to spare it lets garbage build up for longer as an
 * export runs longer, so peak RSS rises with the file (+43 to +80 MB from 50k to 200k in runs here,
 * flattening past 100k) although nothing is kept. Each export therefore also runs with its old space capped
 * (worker flags only, never for this process, which seeds): an export that kept rows would run out of
 * heap there, and its RSS shows the memory the export really holds.
 */
const HEAP_CAP_MB = 96;
type Heap = 'default' | 'capped';
const HEAP_FLAGS: Record<Heap, string[]> = { default: [], capped: [`--max-old-space-size=${HEAP_CAP_MB}`] };
const USER = 'bench-exporter';
const BUCKET = 'tasktracker-bench-local';

const { engine, client, tables, tracker } = await startBenchEngine();
client.destroy();
const s3Dir = mkdtempSync(join(tmpdir(), 'bench-exports-s3-'));
const s3 = await startLocalS3({ directory: s3Dir, buckets: [BUCKET] });
const seedStarted = performance.now();
const items = taskItems(USER, LARGEST, []);
await rawBatchWrite(tracker.context.doc, tables.tasks, items);
console.log(`seeded ${LARGEST} tasks in ${((performance.now() - seedStarted) / 1000).toFixed(0)} s`);
// The newest n tasks: created at or after the creation instant of item LARGEST - n.
const bounds = new Map(SIZES.map((size) => [size, items[LARGEST - size]?.createdAt ?? '']));
const createdAfterFor = (size: number) => bounds.get(size) ?? new Date(DATA_START).toISOString();
items.length = 0;

const env = {
  ...process.env,
  AWS_REGION: LOCAL_REGION,
  AWS_ACCESS_KEY_ID: LOCAL_CREDENTIALS.accessKeyId,
  AWS_SECRET_ACCESS_KEY: LOCAL_CREDENTIALS.secretAccessKey,
  AWS_ENDPOINT_URL_DYNAMODB: engine.endpoint,
  AWS_ENDPOINT_URL_S3: s3.endpoint,
  BUCKET_NAME: BUCKET,
  STAGE: 'dev',
  LOG_LEVEL: 'silent',
  TASKS_TABLE: tables.tasks,
  CATEGORIES_TABLE: tables.categories,
  IDEMPOTENCY_TABLE: tables.idempotency,
  INVOCATION_LOG_TABLE: tables.invocationLog,
};

interface Measured {
  rows: number;
  bytes: number;
  ms: number;
  maxRssMB: number;
}

/** Asynchronous: the bucket's server runs on this process's event loop. */
type Mode = 'ours' | 'raw';

async function runWorker(mode: Mode, size: number, heap: Heap): Promise<Measured> {
  const { stdout: output } = await promisify(execFile)(
    process.execPath,
    [
      ...HEAP_FLAGS[heap],
      '--conditions=@tasktracker/source',
      '--import',
      'tsx',
      'bench/exports-worker.ts',
      mode,
      USER,
      createdAfterFor(size),
    ],
    { encoding: 'utf8', env, maxBuffer: 64 * 1024 * 1024 },
  );
  const measured = JSON.parse(output.trim().split('\n').at(-1) ?? '{}') as Measured;
  if (measured.rows !== size) throw new Error(`${mode} export of ${size} read ${measured.rows} rows`);
  return measured;
}

type Runs = Record<Mode, Measured[]> & { capped: Measured[] };
const results: Record<number, Runs> = {};
for (const size of SIZES) {
  const runs: Runs = { ours: [], raw: [], capped: [] };
  results[size] = runs;
  for (let round = 0; round < ROUNDS; round++) {
    // Alternate which goes first, as every suite here does.
    const order = round % 2 === 0 ? (['ours', 'raw'] as const) : (['raw', 'ours'] as const);
    for (const mode of order) runs[mode].push(await runWorker(mode, size, 'default'));
    runs.capped.push(await runWorker('ours', size, 'capped'));
    const last = runs.ours.at(-1) as Measured;
    console.log(
      `export ${size}: ${(last.ms / 1000).toFixed(1)} s, ${(last.bytes / 2 ** 20).toFixed(0)} MiB, ` +
        `peak RSS ${last.maxRssMB.toFixed(0)} MB, ${runs.capped.at(-1)?.maxRssMB.toFixed(0)} MB with a ` +
        `${HEAP_CAP_MB} MB heap (bare Query loop ${runs.raw.at(-1)?.maxRssMB.toFixed(0)} MB)`,
    );
  }
}
await s3.close();
await engine.stop();
rmSync(s3Dir, { recursive: true, force: true });

const measured = (size: number, mode: keyof Runs) => results[size]?.[mode] ?? [];
const rss = (size: number, mode: keyof Runs) => median(measured(size, mode).map((m) => m.maxRssMB));
const rate = (size: number, mode: keyof Runs) =>
  (size / median(measured(size, mode).map((m) => m.ms))) * 1000;
const k = (size: number) => `${size / 1000}k`;
const signed = (mb: number) => `${mb >= 0 ? '+' : ''}${mb.toFixed(0)}`;
const rows: Row[] = [];
for (const size of SIZES) {
  rows.push({
    benchmark: `export ${k(size)} via handler job, peak RSS (MB)`,
    ours: rss(size, 'ours').toFixed(0),
    baseline: `${rss(size, 'raw').toFixed(0)} bare Query loop`,
    ratio: rss(size, 'ours') / rss(size, 'raw'),
    goal: 'reported only',
    pass: true,
  });
}
const [smallest] = SIZES as [number];
const growth = (mode: keyof Runs) => rss(LARGEST, mode) - rss(smallest, mode);
rows.push({
  benchmark: `export peak RSS growth ${k(smallest)} -> ${k(LARGEST)}, V8's default heap (MB)`,
  ours: `${signed(growth('ours'))} (${rss(smallest, 'ours').toFixed(0)} -> ${rss(LARGEST, 'ours').toFixed(0)})`,
  baseline: `${signed(growth('raw'))} bare Query loop`,
  ratio: rss(LARGEST, 'ours') / rss(smallest, 'ours'),
  goal: 'reported only (garbage V8 has not collected yet)',
  pass: true,
});
rows.push({
  benchmark: `export peak RSS growth ${k(smallest)} -> ${k(LARGEST)}, heap capped at ${HEAP_CAP_MB} MB (MB)`,
  ours: `${signed(growth('capped'))} (${rss(smallest, 'capped').toFixed(0)} -> ${rss(LARGEST, 'capped').toFixed(0)})`,
  baseline: `${signed(growth('raw'))} bare Query loop`,
  ratio: rss(LARGEST, 'capped') / rss(smallest, 'capped'),
  goal: `<= +${GROWTH_GOAL_MB} MB`,
  pass: growth('capped') <= GROWTH_GOAL_MB,
});
rows.push({
  benchmark: `export ${k(LARGEST)} via handler job (rows/s)`,
  ours: rate(LARGEST, 'ours').toFixed(0),
  baseline: `${rate(LARGEST, 'raw').toFixed(0)} bare Query loop`,
  ratio: rate(LARGEST, 'ours') / rate(LARGEST, 'raw'),
  goal: 'reported only',
  pass: true,
});
saveAndPrint('exports', rows, {
  sizes: SIZES,
  rounds: ROUNDS,
  heapCapMB: HEAP_CAP_MB,
  bytes: Object.fromEntries(SIZES.map((size) => [size, results[size]?.ours[0]?.bytes])),
  results,
});
