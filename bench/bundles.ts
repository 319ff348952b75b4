/**
 * node --conditions=@tasktracker/source --import tsx bench/bundles.ts
 *
 * Bundles every handler (the deployer's bundler, as tt package does) and a bare handler that bundles only the
 * DynamoDB client and document client (bench/lib/bare-handler.ts), with the same esbuild options, then
 * measures each bundle's bytes (raw and gzip) and its cold init: in a fresh Node process, the time to
 * import the bundle (what a Lambda's init spends on the handler module) minus the time to import an empty
 * module, median of 21 runs, runs interleaved so that machine noise hits every bundle alike. Timed inside
 * the process, Node's own start and exit (the same for every bundle, and noisy) stay out of the ratio; the
 * whole-process figure is saved in the JSON too.
 * The budget (issue 3): every API handler at most 1.25x the bare handler in bytes and in cold init.
 * Modules a handler loads only on demand (beside its index.mjs) are reported, not budgeted.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { buildBundle, bundleHandlers, requireCheckout } from '@tasktracker/deploy';
import { median, type Row, saveAndPrint } from './lib/report.ts';

const RUNS = Number(process.env.BENCH_RUNS ?? 21);
const BUDGET = 1.25;

const scratch = mkdtempSync(join(tmpdir(), 'tasktracker-bundles-'));
const empty = join(scratch, 'empty.mjs');
writeFileSync(empty, '');
const bare = join(scratch, 'bare', 'index.mjs');
await buildBundle(join(import.meta.dirname, 'lib', 'bare-handler.ts'), bare);
const project = requireCheckout();
const { bundles: built } = await bundleHandlers(
  project.handlersSource,
  join(scratch, 'handlers'),
  project.root,
);
const handlers = built.map(({ name }) => ({ name, file: join(scratch, 'handlers', name, 'index.mjs') }));
// Modules a handler loads on demand (the export handler's S3 publisher): their bytes, not part of init.
const onDemand = built.flatMap(({ name, files }) =>
  files
    .filter((file) => file.name.endsWith('.mjs') && file.name !== 'index.mjs')
    .map((file) => ({ name: `${name} ${file.name}`, bytes: file.data.length })),
);
const bundles = [{ name: 'bare (DynamoDB client only)', file: bare }, ...handlers];

// What a Lambda container has at init: a region, and no SDK notice about the Node version.
const env = {
  ...process.env,
  AWS_REGION: 'us-east-1',
  STAGE: 'dev',
};

// Prints the import time on stderr: stdout is where a handler's logs would go.
const IMPORT_TIMER = `const started = performance.now();
await import(process.argv[1]);
process.stderr.write('import-ms ' + (performance.now() - started) + '\\n');`;

/** One fresh process: the import time inside it, and the whole process's wall time. */
function coldStart(file: string): { importMs: number; processMs: number } {
  const started = process.hrtime.bigint();
  const result = spawnSync(process.execPath, ['--input-type=module', '-e', IMPORT_TIMER, file], {
    env,
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  const processMs = Number(process.hrtime.bigint() - started) / 1e6;
  const timed = /import-ms ([\d.]+)/.exec(result.stderr.toString());
  if (result.status !== 0 || !timed)
    throw new Error(`${file} failed to load: ${result.stderr.toString().slice(0, 500)}`);
  return { importMs: Number(timed[1]), processMs };
}

const samples = new Map<string, { importMs: number[]; processMs: number[] }>(
  [empty, ...bundles.map((bundle) => bundle.file)].map((file) => [file, { importMs: [], processMs: [] }]),
);
for (let run = 0; run < RUNS; run++) {
  for (const [file, sample] of samples) {
    const { importMs, processMs } = coldStart(file);
    sample.importMs.push(importMs);
    sample.processMs.push(processMs);
  }
}
const emptyMs = median(samples.get(empty)?.importMs ?? []);
const emptyProcessMs = median(samples.get(empty)?.processMs ?? []);
const measured = bundles.map((bundle) => {
  const bytes = readFileSync(bundle.file);
  return {
    name: bundle.name,
    bytes: bytes.length,
    gzipBytes: gzipSync(bytes, { level: 9 }).length,
    initMs: median(samples.get(bundle.file)?.importMs ?? []) - emptyMs,
    processInitMs: median(samples.get(bundle.file)?.processMs ?? []) - emptyProcessMs,
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
const onDemandRows: Row[] = onDemand.map((module) => ({
  benchmark: `${module.name} bytes`,
  ours: kb(module.bytes),
  baseline: kb(baseline.bytes),
  ratio: module.bytes / baseline.bytes,
  goal: 'loaded on first use, not at init: reported only',
  pass: true,
}));
saveAndPrint('bundles', [...rows, ...onDemandRows], {
  runs: RUNS,
  emptyImportMs: emptyMs,
  emptyNodeStartMs: emptyProcessMs,
  bundles: measured,
  onDemand,
});
