/**
 * `pnpm bench:cli`: how long a person waits for `tt`. Wall time of whole processes, with the local
 * engine already running (data dir in a temp dir, `tt local start` first, a few tasks added):
 *   - `tt --version` against `node -e 0` (what Node itself costs);
 *   - `tt tasks list` against a bare .mjs that sends the same Query with the SDK to the same engine.
 *   - `tt --no-color --version` (any argument beside --version loads the whole program): the start-up
 *     every other command pays.
 * Every round runs each command once, in a rotating order, because this machine is noisy; medians. Where
 * /usr/bin/time exists, CPU time (user + system) is reported beside wall time: it moves less with load.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { defaultTableNames } from '@tasktracker/core';
import { median, type Row, saveAndPrint } from './lib/report.ts';

const RUNS = Number(process.env.BENCH_CLI_RUNS ?? 21);
const root = join(import.meta.dirname, '..');
const TT = join(root, 'packages', 'cli', 'dist', 'tt.mjs');
const BARE = join(root, 'bench', 'lib', 'bare-list.mjs');
const dataDir = mkdtempSync(join(tmpdir(), 'tt-bench-cli-'));
const env = {
  ...process.env,
  TASKTRACKER_DATA_DIR: dataDir,
  TASKTRACKER_USER: 'bench',
};
const node = (args: string[]) => execFileSync(process.execPath, args, { env, encoding: 'utf8' });
/** GNU time, where the machine has it: CPU time (user + system) is steadier than wall time on a busy machine. */
const GNU_TIME = existsSync('/usr/bin/time') ? '/usr/bin/time' : undefined;

/** One run of `node <args>`: wall time, and CPU time when GNU time can tell. */
function measure(args: string[]): { wall: number; cpu: number | undefined } {
  const report = join(dataDir, 'time.txt');
  const started = performance.now();
  if (GNU_TIME) execFileSync(GNU_TIME, ['-f', '%U %S', '-o', report, process.execPath, ...args], { env });
  else node(args);
  const wall = performance.now() - started;
  if (!GNU_TIME) return { wall, cpu: undefined };
  const [user = 0, system = 0] = readFileSync(report, 'utf8').trim().split(/\s+/).map(Number);
  return { wall, cpu: (user + system) * 1000 };
}

const loadStart = loadavg();
node([TT, 'local', 'start']);
try {
  const status = JSON.parse(node([TT, 'local', 'status', '--json'])) as { endpoint: string };
  for (let i = 1; i <= 5; i++) node([TT, 'tasks', 'add', `Benchmark task ${i}`, '--json']);
  const table = defaultTableNames('dev').tasks;

  const commands: Record<string, string[]> = {
    'node -e 0': ['-e', '0'],
    'tt --version': [TT, '--version'],
    // Any other argument takes the whole program: the start-up every other command pays.
    'tt --no-color --version': [TT, '--no-color', '--version'],
    'bare SDK Query (.mjs)': [BARE, status.endpoint, table, 'bench'],
    'tt tasks list': [TT, 'tasks', 'list'],
  };
  // Both list commands must see the same tasks, or the comparison means nothing.
  const listed = JSON.parse(node([TT, 'tasks', 'list', '--json'])) as { items: unknown[] };
  const bare = JSON.parse(node(commands['bare SDK Query (.mjs)'] ?? [])) as { items: unknown[] };
  if (listed.items.length !== 5 || bare.items.length !== 5) {
    throw new Error(`expected 5 tasks, tt listed ${listed.items.length}, the SDK ${bare.items.length}`);
  }

  const names = Object.keys(commands);
  const ms: Record<string, number[]> = Object.fromEntries(names.map((name) => [name, []]));
  const cpuMs: Record<string, number[]> = Object.fromEntries(names.map((name) => [name, []]));
  for (let run = 0; run < RUNS; run++) {
    // Rotate the order so that no command always follows the same one.
    for (let i = 0; i < names.length; i++) {
      const name = names[(run + i) % names.length] as string;
      const { wall, cpu } = measure(commands[name] ?? []);
      ms[name]?.push(wall);
      if (cpu !== undefined) cpuMs[name]?.push(cpu);
    }
  }

  const at = (name: string) => median(ms[name] ?? []);
  const cpuAt = (name: string) => median(cpuMs[name] ?? []);
  const line = (name: string) =>
    `${at(name).toFixed(0)} ms${GNU_TIME ? ` (cpu ${cpuAt(name).toFixed(0)} ms)` : ''}`;
  /** One row: `ours` against `base`, with a ratio goal when `limit` is given, else for information. */
  const compare = (
    benchmark: string,
    ours: string,
    base: string,
    baseLabel: string,
    limit?: { ratio: number; label: string },
  ): Row => ({
    benchmark,
    ours: line(ours),
    baseline: `${line(base)} ${baseLabel}`,
    ratio: at(ours) / at(base),
    goal: limit ? `<= ${limit.ratio}x ${limit.label}` : 'info',
    pass: limit ? at(ours) / at(base) <= limit.ratio : true,
  });
  const rows: Row[] = [
    compare('tt --version (wall)', 'tt --version', 'node -e 0', 'node -e 0', {
      ratio: 1.5,
      label: 'node -e 0',
    }),
    compare('tt tasks list, engine warm (wall)', 'tt tasks list', 'bare SDK Query (.mjs)', 'bare SDK .mjs', {
      ratio: 1.5,
      label: 'bare SDK',
    }),
    compare('tt start-up, whole program loaded (wall)', 'tt --no-color --version', 'node -e 0', 'node -e 0'),
    compare('bare SDK Query .mjs vs node -e 0 (wall)', 'bare SDK Query (.mjs)', 'node -e 0', 'node -e 0'),
  ];
  saveAndPrint('cli-latency', rows, {
    runs: RUNS,
    medianMs: Object.fromEntries(names.map((name) => [name, Math.round(at(name))])),
    medianCpuMs: GNU_TIME ? Object.fromEntries(names.map((name) => [name, Math.round(cpuAt(name))])) : null,
    ms,
    cpuMs,
    loadAverage: { start: loadStart, end: loadavg() },
    note: 'shared 2-core machine with other jobs running: expect noise',
  });
} finally {
  node([TT, 'local', 'stop']);
  rmSync(dataDir, { recursive: true, force: true });
}
