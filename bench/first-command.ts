/**
 * `pnpm bench:first-command`: the first command with a cold engine, what a person waits for after a
 * reboot or `tt local stop`: wall time of `tt tasks add` from the engine stopped to the CLI's exit
 * (JVM start, DynamoDB Local ready, tables checked, the write). Its own results file rather than a row
 * of bench:cli, which times commands against a warm engine and is being reworked at the same time.
 * Each variant keeps its own data dir (database created by an unmeasured first run), so every measured
 * run starts the engine on an existing database, as after a reboot:
 *   - today: how the engine started before class-data sharing (plain `-jar`, the JVM's default JIT,
 *     `java -version` checked on every start): TASKTRACKER_ENGINE_CDS=off, TASKTRACKER_ENGINE_JVM_OPTIONS=''
 *     and no cached Java check;
 *   - archive absent: the defaults on a data dir without an archive (the first start ever): the
 *     background training run is scheduled and runs beside the command (stopped after each run, so it
 *     never finishes and the next run is again without an archive);
 *   - archive present: the defaults with the archive built;
 *   - archive present, default JIT: the archive alone, without the C1-only flag.
 * And, because the C1-only flag is a trade: the engine's request rate after a warm-up (PutItem and
 * Query from 10 callers) with the default flags against the JVM's default JIT.
 * Rounds rotate the order of the variants because this machine is shared and noisy; medians.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { engineRequestRate } from './lib/engine-rate.ts';
import { median, type Row, saveAndPrint } from './lib/report.ts';
import { cpuMs } from './lib/servers.ts';

const RUNS = Number(process.env.BENCH_RUNS ?? 7);
const RATE_ROUNDS = Number(process.env.BENCH_RATE_ROUNDS ?? 3);
const GOAL = 0.5;
const root = join(import.meta.dirname, '..');
const TT = join(root, 'packages', 'cli', 'dist', 'tt.mjs');
const work = mkdtempSync(join(tmpdir(), 'tt-bench-first-'));
const loadAtStart = loadavg();

interface Variant {
  name: string;
  env: Record<string, string>;
  /** Before each measured run: what the variant's data dir must (not) hold. */
  prepare(dataDir: string): void;
  /** After each run: anything the run left going in the background. */
  cleanUp(dataDir: string): void;
}

const cdsDir = (dataDir: string) => join(dataDir, 'cds');
const archiveOf = (dataDir: string) => {
  const [key] = existsSync(cdsDir(dataDir)) ? readdirSync(cdsDir(dataDir)) : [];
  return key ? join(cdsDir(dataDir), key, 'engine.jsa') : undefined;
};

/** Stops a background training run (its lock names the Node process; the JVM is in its group). */
function stopTraining(dataDir: string) {
  if (!existsSync(cdsDir(dataDir))) return;
  for (const key of readdirSync(cdsDir(dataDir))) {
    const lock = join(cdsDir(dataDir), key, 'build.lock');
    if (!existsSync(lock)) continue;
    const pid = Number(readFileSync(lock, 'utf8'));
    try {
      process.kill(-pid, 'SIGKILL');
    } catch {
      // Already done.
    }
  }
}

const nothing = () => undefined;
const variants: Variant[] = [
  {
    name: 'today (-jar, default JIT)',
    env: { TASKTRACKER_ENGINE_CDS: 'off', TASKTRACKER_ENGINE_JVM_OPTIONS: '' },
    prepare: (dataDir) => rmSync(join(dataDir, 'java.json'), { force: true }),
    cleanUp: nothing,
  },
  {
    name: 'archive absent (first start ever)',
    env: {},
    prepare: (dataDir) => rmSync(cdsDir(dataDir), { recursive: true, force: true }),
    cleanUp: stopTraining,
  },
  { name: 'archive present', env: {}, prepare: nothing, cleanUp: nothing },
  {
    name: 'archive present, default JIT',
    env: { TASKTRACKER_ENGINE_JVM_OPTIONS: '' },
    prepare: nothing,
    cleanUp: nothing,
  },
];

const dataDirs = new Map(variants.map((variant, i) => [variant.name, join(work, `data-${i}`)]));
const envOf = (variant: Variant) => ({
  ...process.env,
  ...variant.env,
  TASKTRACKER_DATA_DIR: dataDirs.get(variant.name) ?? '',
  TASKTRACKER_USER: 'bench',
});
const tt = (variant: Variant, args: string[]) =>
  execFileSync(process.execPath, [TT, ...args], { env: envOf(variant), encoding: 'utf8' });

/** Waits for a data dir's archive (the background build after its first start). */
async function waitForArchive(dataDir: string) {
  for (let waited = 0; waited < 300_000; waited += 500) {
    const archive = archiveOf(dataDir);
    if (archive && existsSync(archive)) return;
    await sleep(500);
  }
  throw new Error(`no archive in ${dataDir} after 5 minutes`);
}

const samples = new Map(
  variants.map((variant) => [variant.name, [] as { wallMs: number; engineCpuMs: number }[]]),
);
try {
  // Unmeasured: each data dir gets its database, tables and (for the archive variants) its archive.
  for (const variant of variants) {
    tt(variant, ['tasks', 'add', 'Creates the database', '--json']);
    if (variant.name.startsWith('archive present')) await waitForArchive(dataDirs.get(variant.name) ?? '');
    tt(variant, ['local', 'stop']);
    variant.cleanUp(dataDirs.get(variant.name) ?? '');
  }
  for (let run = 0; run < RUNS; run++) {
    for (let i = 0; i < variants.length; i++) {
      const variant = variants[(run + i) % variants.length] as Variant;
      const dataDir = dataDirs.get(variant.name) ?? '';
      variant.prepare(dataDir);
      const started = performance.now();
      const added = JSON.parse(tt(variant, ['tasks', 'add', `Cold start ${run}`, '--json'])) as {
        taskId?: string;
      };
      const wallMs = performance.now() - started;
      if (!added.taskId) throw new Error(`${variant.name}: tt tasks add printed no task`);
      const state = JSON.parse(readFileSync(join(dataDir, 'engine.json'), 'utf8')) as {
        pid: number;
        classDataSharing?: string;
      };
      const expected = variant.name.startsWith('archive present')
        ? 'used'
        : variant.name.startsWith('today')
          ? 'off'
          : 'absent';
      if ((state.classDataSharing ?? 'off') !== expected)
        throw new Error(
          `${variant.name}: the engine started with class-data sharing ${state.classDataSharing}`,
        );
      samples.get(variant.name)?.push({ wallMs, engineCpuMs: cpuMs(state.pid) });
      tt(variant, ['local', 'stop']);
      variant.cleanUp(dataDir);
    }
  }

  // The trade of the C1-only flag: a warm engine's request rate, default flags against the JVM's.
  const rates = { c1: [] as number[], jvmDefault: [] as number[] };
  for (let round = 0; round < RATE_ROUNDS; round++) {
    const order = round % 2 ? (['jvmDefault', 'c1'] as const) : (['c1', 'jvmDefault'] as const);
    for (const jit of order) {
      const options = jit === 'c1' ? undefined : [];
      rates[jit].push(await engineRequestRate(options));
    }
  }

  const at = (name: string) => median(samples.get(name)?.map((sample) => sample.wallMs) ?? []);
  const cpuAt = (name: string) => median(samples.get(name)?.map((sample) => sample.engineCpuMs) ?? []);
  const line = (name: string) =>
    `${(at(name) / 1000).toFixed(2)} s (engine cpu ${(cpuAt(name) / 1000).toFixed(2)} s)`;
  const today = variants[0]?.name ?? '';
  const compare = (benchmark: string, name: string, goal?: number): Row => ({
    benchmark,
    ours: line(name),
    baseline: `${line(today)} today`,
    ratio: at(name) / at(today),
    goal: goal ? `<= ${goal}x today` : 'info',
    pass: goal ? at(name) / at(today) <= goal : true,
  });
  const [c1Rate, defaultRate] = [median(rates.c1), median(rates.jvmDefault)];
  const rows: Row[] = [
    compare('first tt tasks add, cold engine, archive present (wall)', 'archive present', GOAL),
    compare('first tt tasks add, cold engine, archive absent (wall)', 'archive absent (first start ever)'),
    compare(
      'first tt tasks add, cold engine, archive only, default JIT (wall)',
      'archive present, default JIT',
    ),
    {
      benchmark: 'warm engine request rate, C1-only vs default JIT',
      ours: `${c1Rate.toFixed(0)} req/s`,
      baseline: `${defaultRate.toFixed(0)} req/s default JIT`,
      ratio: c1Rate / defaultRate,
      goal: 'info (the cost of the quick start under sustained load)',
      pass: true,
    },
  ];
  saveAndPrint('first-command', rows, {
    runs: RUNS,
    medianMs: Object.fromEntries(variants.map((variant) => [variant.name, Math.round(at(variant.name))])),
    samples: Object.fromEntries(samples),
    requestRates: rates,
    loadAverage: { start: loadAtStart, end: loadavg() },
    note: 'shared 2-core machine with other jobs running: expect noise',
  });
} finally {
  for (const variant of variants) {
    try {
      tt(variant, ['local', 'stop']);
    } catch {
      // Never started.
    }
    stopTraining(dataDirs.get(variant.name) ?? '');
  }
  rmSync(work, { recursive: true, force: true });
}
