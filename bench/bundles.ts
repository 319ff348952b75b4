/**
 * node --conditions=@tasktracker/source --import tsx bench/bundles.ts
 *
 * Bundles every handler (the deployer's bundler, as tt package does) and a bare handler that bundles only the
 * DynamoDB client and document client (bench/lib/bare-handler.ts), with the same esbuild options, then
 * measures each bundle's bytes (raw and gzip) and its cold init: a fresh `node bundle.mjs` minus a fresh
 * `node empty.mjs`, median of 15 runs, runs interleaved so that machine noise hits every bundle alike.
 * The budget (issue 3): every API handler at most 1.25x the bare handler in bytes and in cold init.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { buildBundle, bundleHandlers, findProject } from '@tasktracker/deploy';
import { median, type Row, saveAndPrint } from './lib/report.ts';

const RUNS = Number(process.env.BENCH_RUNS ?? 15);
const BUDGET = 1.25;

const scratch = mkdtempSync(join(tmpdir(), 'tasktracker-bundles-'));
const empty = join(scratch, 'empty.mjs');
writeFileSync(empty, '');
const bare = join(scratch, 'bare', 'index.mjs');
await buildBundle(join(import.meta.dirname, 'lib', 'bare-handler.ts'), bare);
const project = findProject();
const { bundles: built } = await bundleHandlers(
  project.handlersSource,
  join(scratch, 'handlers'),
  project.root,
);
const handlers = built.map(({ name }) => ({ name, file: join(scratch, 'handlers', name, 'index.mjs') }));
const bundles = [{ name: 'bare (DynamoDB client only)', file: bare }, ...handlers];

// What a Lambda container has at init: a region, and no SDK notice about the Node version.
const env = {
  ...process.env,
  AWS_REGION: 'us-east-1',
  AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
  STAGE: 'dev',
};

function startMs(file: string): number {
  const started = process.hrtime.bigint();
  const result = spawnSync(process.execPath, [file], { env, stdio: ['ignore', 'ignore', 'pipe'] });
  const elapsed = Number(process.hrtime.bigint() - started) / 1e6;
  if (result.status !== 0)
    throw new Error(`${file} failed to load: ${result.stderr.toString().slice(0, 500)}`);
  return elapsed;
}

const samples = new Map<string, number[]>([
  [empty, []],
  ...bundles.map((bundle) => [bundle.file, []] as [string, number[]]),
]);
for (let run = 0; run < RUNS; run++) {
  for (const file of samples.keys()) samples.get(file)?.push(startMs(file));
}
const emptyMs = median(samples.get(empty) ?? []);
const measured = bundles.map((bundle) => {
  const bytes = readFileSync(bundle.file);
  return {
    name: bundle.name,
    bytes: bytes.length,
    gzipBytes: gzipSync(bytes, { level: 9 }).length,
    initMs: median(samples.get(bundle.file) ?? []) - emptyMs,
  };
});
const baseline = measured[0]!;
const kb = (bytes: number) => `${(bytes / 1024).toFixed(0)} KB`;
const rows: Row[] = measured.slice(1).flatMap((bundle) => {
  const api = bundle.name !== 'imports-process';
  const goal = api ? `<= ${BUDGET}x` : 'not an API handler: reported only';
  const byteRatio = bundle.bytes / baseline.bytes;
  const initRatio = bundle.initMs / baseline.initMs;
  return [
    {
      benchmark: `${bundle.name} bytes`,
      ours: `${kb(bundle.bytes)} (gzip ${kb(bundle.gzipBytes)})`,
      baseline: `${kb(baseline.bytes)} (gzip ${kb(baseline.gzipBytes)})`,
      ratio: byteRatio,
      goal,
      pass: !api || byteRatio <= BUDGET,
    },
    {
      benchmark: `${bundle.name} cold init`,
      ours: `${bundle.initMs.toFixed(1)} ms`,
      baseline: `${baseline.initMs.toFixed(1)} ms`,
      ratio: initRatio,
      goal,
      pass: !api || initRatio <= BUDGET,
    },
  ];
});
saveAndPrint('bundles', rows, { runs: RUNS, emptyNodeStartMs: emptyMs, bundles: measured });
