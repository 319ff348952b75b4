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
 * The budget (issues 3 and 17): every API handler at most 1.35x the bare handler in bytes and in cold init.
 * Modules a handler loads only on demand (beside its index.mjs) are reported, not budgeted.
 *
 * Against the handler a user would otherwise write (issue 17): POST /tasks and GET /tasks with Powertools
 * for AWS Lambda (bench/lib/peer-handlers.ts), same esbuild options. Goal: ours at most 1.0x the peer in
 * bytes, in cold init and in the first request (a fresh process imports the bundle and answers one API
 * Gateway event against DynamoDB Local: init plus the first invoke), with every API handler at most 1.0x
 * the smaller peer in bytes and cold init.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { buildBundle, bundleHandlers, requireCheckout } from '@tasktracker/deploy';
import {
  buildPeerBundles,
  type FirstRequest,
  PEER_ROUTES,
  type PeerRoute,
  peerVersions,
  startFirstRequestEngine,
} from './lib/peer-handlers.ts';
import { median, type Row, saveAndPrint } from './lib/report.ts';

const RUNS = Number(process.env.BENCH_RUNS ?? 21);
const BUDGET = 1.35;
const PEER_GOAL = 1.0;
const loadAtStart = loadavg();

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
const peerFiles = await buildPeerBundles(scratch);
const peers = (Object.keys(PEER_ROUTES) as PeerRoute[]).map((route) => ({
  route,
  name: `Powertools ${route}`,
  file: peerFiles[route],
}));

// What a Lambda container has at init: a region, and no SDK notice about the Node version.
const env = {
  ...process.env,
  AWS_REGION: 'us-east-1',
  STAGE: 'dev',
};

// Prints the import time on stderr: stdout is where a handler's logs would go.
// CPU time beside it: on a loaded machine, wall time also counts waiting for a core.
const IMPORT_TIMER = `const cpu = process.cpuUsage();
const started = performance.now();
await import(process.argv[1]);
const used = process.cpuUsage(cpu);
process.stderr.write('import-ms ' + (performance.now() - started) + ' ' + (used.user + used.system) / 1000 + '\\n');`;

/** One fresh process: the import time inside it, and the whole process's wall time. */
function coldStart(file: string): { importMs: number; importCpuMs: number; processMs: number } {
  const started = process.hrtime.bigint();
  const result = spawnSync(process.execPath, ['--input-type=module', '-e', IMPORT_TIMER, file], {
    env,
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  const processMs = Number(process.hrtime.bigint() - started) / 1e6;
  const timed = /import-ms ([\d.]+) ([\d.]+)/.exec(result.stderr.toString());
  if (result.status !== 0 || !timed)
    throw new Error(`${file} failed to load: ${result.stderr.toString().slice(0, 500)}`);
  return { importMs: Number(timed[1]), importCpuMs: Number(timed[2]), processMs };
}

const samples = new Map<string, { importMs: number[]; importCpuMs: number[]; processMs: number[] }>(
  [empty, ...bundles.map((bundle) => bundle.file), ...peers.map((peer) => peer.file)].map((file) => [
    file,
    { importMs: [], importCpuMs: [], processMs: [] },
  ]),
);
for (let run = 0; run < RUNS; run++) {
  for (const [file, sample] of samples) {
    const { importMs, importCpuMs, processMs } = coldStart(file);
    sample.importMs.push(importMs);
    sample.importCpuMs.push(importCpuMs);
    sample.processMs.push(processMs);
  }
}
const emptyMs = median(samples.get(empty)?.importMs ?? []);
const emptyProcessMs = median(samples.get(empty)?.processMs ?? []);
const emptyCpuMs = median(samples.get(empty)?.importCpuMs ?? []);
const measured = [...bundles, ...peers].map((bundle) => {
  const bytes = readFileSync(bundle.file);
  return {
    name: bundle.name,
    bytes: bytes.length,
    gzipBytes: gzipSync(bytes, { level: 9 }).length,
    initMs: median(samples.get(bundle.file)?.importMs ?? []) - emptyMs,
    initCpuMs: median(samples.get(bundle.file)?.importCpuMs ?? []) - emptyCpuMs,
    processInitMs: median(samples.get(bundle.file)?.processMs ?? []) - emptyProcessMs,
  };
});
const baseline = measured[0]!;
const ourMeasures = measured.slice(1, bundles.length);
const peerMeasures = measured.slice(bundles.length);
const kb = (bytes: number) => `${(bytes / 1024).toFixed(0)} KB`;
const rows: Row[] = ourMeasures.flatMap((bundle) => {
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
// --- against the Powertools peers: bytes, cold init, and the first request ------------------------------
const firstEngine = await startFirstRequestEngine();
const firstRequests = new Map<string, FirstRequest[]>();
const firstRuns: { route: PeerRoute; file: string; peer: boolean }[] = peers.flatMap((peer) => [
  { route: peer.route, file: join(scratch, 'handlers', peer.route, 'index.mjs'), peer: false },
  { route: peer.route, file: peer.file, peer: true },
]);
try {
  for (let run = 0; run < RUNS; run++) {
    // Rotate the order, so that no bundle always runs right after the same one.
    for (let i = 0; i < firstRuns.length; i++) {
      const target = firstRuns[(run + i) % firstRuns.length]!;
      const sample = firstEngine.firstRequest(target.route, target.file, target.peer);
      firstRequests.set(target.file, [...(firstRequests.get(target.file) ?? []), sample]);
    }
  }
} finally {
  await firstEngine.engine.stop();
}
const firstOf = (file: string) => {
  const samples = firstRequests.get(file) ?? [];
  return {
    initMs: median(samples.map((sample) => sample.init.ms)),
    invokeMs: median(samples.map((sample) => sample.invoke.ms)),
    totalMs: median(samples.map((sample) => sample.init.ms + sample.invoke.ms)),
    totalCpuMs: median(samples.map((sample) => sample.init.cpuMs + sample.invoke.cpuMs)),
  };
};
const measureOf = (name: string) => measured.find((bundle) => bundle.name === name)!;
const peerGoal = `<= ${PEER_GOAL}x Powertools`;
const peerRows: Row[] = peers.flatMap((peer) => {
  const [ours, theirs] = [measureOf(peer.route), measureOf(peer.name)];
  const [oursFirst, theirsFirst] = [
    firstOf(join(scratch, 'handlers', peer.route, 'index.mjs')),
    firstOf(peer.file),
  ];
  const first = (value: typeof oursFirst) =>
    `${value.totalMs.toFixed(0)} ms (init ${value.initMs.toFixed(0)} + invoke ${value.invokeMs.toFixed(0)}; cpu ${value.totalCpuMs.toFixed(0)} ms)`;
  return [
    {
      benchmark: `${peer.route} bytes vs Powertools`,
      ours: `${kb(ours.bytes)} (gzip ${kb(ours.gzipBytes)})`,
      baseline: `${kb(theirs.bytes)} (gzip ${kb(theirs.gzipBytes)})`,
      ratio: ours.bytes / theirs.bytes,
      goal: peerGoal,
      pass: ours.bytes <= theirs.bytes * PEER_GOAL,
    },
    {
      benchmark: `${peer.route} cold init vs Powertools`,
      ours: `${ours.initMs.toFixed(1)} ms (cpu ${ours.initCpuMs.toFixed(0)} ms)`,
      baseline: `${theirs.initMs.toFixed(1)} ms (cpu ${theirs.initCpuMs.toFixed(0)} ms)`,
      ratio: ours.initMs / theirs.initMs,
      goal: peerGoal,
      pass: ours.initMs <= theirs.initMs * PEER_GOAL,
    },
    {
      benchmark: `${peer.route} first request (init + 1 invoke) vs Powertools`,
      ours: first(oursFirst),
      baseline: first(theirsFirst),
      ratio: oursFirst.totalMs / theirsFirst.totalMs,
      goal: peerGoal,
      pass: oursFirst.totalMs <= theirsFirst.totalMs * PEER_GOAL,
    },
  ];
});
// Every API handler against the smaller and quicker of the two peers.
const apiMeasures = ourMeasures.filter((bundle) => bundle.name !== 'imports-process');
const largest = apiMeasures.reduce((a, b) => (b.bytes > a.bytes ? b : a));
const slowest = apiMeasures.reduce((a, b) => (b.initMs > a.initMs ? b : a));
const smallestPeer = peerMeasures.reduce((a, b) => (b.bytes < a.bytes ? b : a));
const quickestPeer = peerMeasures.reduce((a, b) => (b.initMs < a.initMs ? b : a));
peerRows.push(
  {
    benchmark: `every API handler bytes (largest: ${largest.name}) vs smaller peer`,
    ours: kb(largest.bytes),
    baseline: `${kb(smallestPeer.bytes)} ${smallestPeer.name}`,
    ratio: largest.bytes / smallestPeer.bytes,
    goal: peerGoal,
    pass: largest.bytes <= smallestPeer.bytes * PEER_GOAL,
  },
  {
    benchmark: `every API handler cold init (slowest: ${slowest.name}) vs quicker peer`,
    ours: `${slowest.initMs.toFixed(1)} ms`,
    baseline: `${quickestPeer.initMs.toFixed(1)} ms ${quickestPeer.name}`,
    ratio: slowest.initMs / quickestPeer.initMs,
    goal: peerGoal,
    pass: slowest.initMs <= quickestPeer.initMs * PEER_GOAL,
  },
);

saveAndPrint('bundles', [...rows, ...onDemandRows, ...peerRows], {
  runs: RUNS,
  emptyImportMs: emptyMs,
  emptyNodeStartMs: emptyProcessMs,
  bundles: measured,
  onDemand,
  peers: peerVersions(),
  firstRequests: Object.fromEntries(
    firstRuns.map((target) => [
      `${target.peer ? 'Powertools ' : ''}${target.route}`,
      { median: firstOf(target.file), samples: firstRequests.get(target.file) },
    ]),
  ),
  loadAverage: { start: loadAtStart, end: loadavg() },
  note: 'shared 2-core machine with other jobs running: expect noise',
});
