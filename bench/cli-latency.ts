/**
 * `pnpm bench:cli [--bin <path>] [--runs <n>]`: how long a person waits for `tt`. Wall time of whole
 * processes, the built binary run directly by node (`node <bin>`, never through pnpm), with the local
 * engine already running (data dir in a temp dir, `tt local start` first, five tasks added):
 *   - `tt tasks list` against a bare .mjs that sends the same Query with the SDK to the same engine;
 *   - `tt --help` and `tt tasks --help` against `node -e 0` (what Node itself costs);
 *   - `tt --version` against `node -e 0`;
 *   - for information: `tt tasks --help` and `tt tasks list` with Node's compile cache turned off, and
 *     the bare SDK script against `node -e 0`.
 * `--bin` (or BENCH_CLI_BIN) points at another copy of `dist/tt.mjs`, e.g. one installed with npm;
 * default: packages/cli/dist/tt.mjs, the same file the package ships.
 * The compile cache lives in a fresh temp dir (XDG_CACHE_HOME) that one warm-up run of each command
 * fills: the rows are the warm case a user sees from the second run on.
 * Every round runs each command once, in a rotating order, because this machine is noisy; medians.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { defaultTableNames } from '@tasktracker/core';
import { median, type Row, saveAndPrint } from './lib/report.ts';

const root = join(import.meta.dirname, '..');
const { values: flags } = parseArgs({
  options: {
    bin: {
      type: 'string',
      default: process.env.BENCH_CLI_BIN ?? join(root, 'packages', 'cli', 'dist', 'tt.mjs'),
    },
    runs: { type: 'string', default: process.env.BENCH_CLI_RUNS ?? '21' },
  },
});
const RUNS = Number(flags.runs);
const TT = resolve(flags.bin);
if (!existsSync(TT))
  throw new Error(`no tt binary at ${TT} (build it with pnpm --filter @tasktracker/cli build)`);
const BARE = join(root, 'bench', 'lib', 'bare-list.mjs');
const dataDir = mkdtempSync(join(tmpdir(), 'tt-bench-cli-'));
const { NODE_COMPILE_CACHE: _dir, NODE_DISABLE_COMPILE_CACHE: _off, ...inherited } = process.env;
const env: NodeJS.ProcessEnv = {
  ...inherited,
  TASKTRACKER_DATA_DIR: dataDir,
  TASKTRACKER_USER: 'bench',
  // The CLI keeps its compile cache under the user's cache dir: a fresh one per run of the bench.
  XDG_CACHE_HOME: join(dataDir, 'cache'),
};
const node = (args: string[]) => execFileSync(process.execPath, args, { env, encoding: 'utf8' });
/**
 * Each run goes through bash 5 where there is one: it reads the clock just around the command
 * (EPOCHREALTIME, so bash's own start-up is not counted) and the command's CPU time with `times`, to the
 * millisecond (GNU time rounds CPU to 10 ms, too coarse for a 20 ms process). CPU time moves less than
 * wall time when other jobs share the machine.
 */
const TIMED = 's=$EPOCHREALTIME; "$@" >/dev/null 2>&1; code=$?; e=$EPOCHREALTIME; times; echo "$s $e $code"';
const BASH = (() => {
  try {
    const probe = execFileSync('bash', ['-c', TIMED, 'bash', 'true'], { encoding: 'utf8' });
    return /^\d+\.\d+ \d+\.\d+ 0$/m.test(probe) ? 'bash' : undefined;
  } catch {
    return undefined;
  }
})();
/** `times` prints 0m0.023s. */
const seconds = (text: string) => {
  const [, minutes = '0', rest = '0'] = /^(\d+)m([\d.]+)s$/.exec(text) ?? [];
  return Number(minutes) * 60 + Number(rest);
};

interface Case {
  args: string[];
  env?: NodeJS.ProcessEnv;
}

/** One run of `node <args>`: wall time, and CPU time (user + system) when bash can tell. */
function measure({ args, env: extra }: Case): { wall: number; cpu: number | undefined } {
  const options = { env: { ...env, ...extra } };
  if (!BASH) {
    const started = performance.now();
    execFileSync(process.execPath, args, { ...options, stdio: 'ignore' });
    return { wall: performance.now() - started, cpu: undefined };
  }
  const output = execFileSync(BASH, ['-c', TIMED, 'bash', process.execPath, ...args], {
    ...options,
    encoding: 'utf8',
  });
  const [, children = '', clock = ''] = output.trim().split('\n');
  const [start = 0, end = 0, code = 1] = clock.split(' ').map(Number);
  if (code !== 0) throw new Error(`node ${args.join(' ')} exited with ${code}`);
  const [user = '', system = ''] = children.split(' ');
  return { wall: (end - start) * 1000, cpu: (seconds(user) + seconds(system)) * 1000 };
}

const loadStart = loadavg();
node([TT, 'local', 'start']);
try {
  const status = JSON.parse(node([TT, 'local', 'status', '--json'])) as { endpoint: string };
  for (let i = 1; i <= 5; i++) node([TT, 'tasks', 'add', `Benchmark task ${i}`, '--json']);
  const table = defaultTableNames('dev').tasks;

  const cases: Record<string, Case> = {
    'node -e 0': { args: ['-e', '0'] },
    'tt --version': { args: [TT, '--version'] },
    'tt --help': { args: [TT, '--help'] },
    'tt tasks --help': { args: [TT, 'tasks', '--help'] },
    'tt tasks --help, no compile cache': {
      args: [TT, 'tasks', '--help'],
      env: { NODE_DISABLE_COMPILE_CACHE: '1' },
    },
    'bare SDK Query (.mjs)': { args: [BARE, status.endpoint, table, 'bench'] },
    'tt tasks list': { args: [TT, 'tasks', 'list'] },
    'tt tasks list, no compile cache': {
      args: [TT, 'tasks', 'list'],
      env: { NODE_DISABLE_COMPILE_CACHE: '1' },
    },
  };
  // Both list commands must see the same tasks, or the comparison means nothing.
  const listed = JSON.parse(node([TT, 'tasks', 'list', '--json'])) as { items: unknown[] };
  const bare = JSON.parse(node(cases['bare SDK Query (.mjs)']?.args ?? [])) as { items: unknown[] };
  if (listed.items.length !== 5 || bare.items.length !== 5) {
    throw new Error(`expected 5 tasks, tt listed ${listed.items.length}, the SDK ${bare.items.length}`);
  }

  const names = Object.keys(cases);
  // One untimed run of each fills the compile cache (and the OS file cache).
  for (const name of names) measure(cases[name] as Case);
  const ms: Record<string, number[]> = Object.fromEntries(names.map((name) => [name, []]));
  const cpuMs: Record<string, number[]> = Object.fromEntries(names.map((name) => [name, []]));
  for (let run = 0; run < RUNS; run++) {
    // Rotate the order so that no command always follows the same one.
    for (let i = 0; i < names.length; i++) {
      const name = names[(run + i) % names.length] as string;
      const { wall, cpu } = measure(cases[name] as Case);
      ms[name]?.push(wall);
      if (cpu !== undefined) cpuMs[name]?.push(cpu);
    }
  }

  const at = (name: string) => median(ms[name] ?? []);
  const cpuAt = (name: string) => median(cpuMs[name] ?? []);
  const line = (name: string) =>
    `${at(name).toFixed(0)} ms${BASH ? ` (cpu ${cpuAt(name).toFixed(0)} ms)` : ''}`;
  /** One row: `ours` against `base`, with a ratio goal when `limit` is given, else for information. */
  const compare = (benchmark: string, ours: string, base: string, limit?: number): Row => ({
    benchmark,
    ours: line(ours),
    baseline: `${line(base)} ${base}`,
    ratio: at(ours) / at(base),
    goal: limit ? `<= ${limit}x ${base}` : 'info',
    pass: limit ? at(ours) / at(base) <= limit : true,
  });
  const rows: Row[] = [
    compare('tt tasks list, engine warm (wall)', 'tt tasks list', 'bare SDK Query (.mjs)', 1.0),
    compare('tt --help (wall)', 'tt --help', 'node -e 0', 2),
    compare('tt tasks --help (wall)', 'tt tasks --help', 'node -e 0', 2),
    compare('tt --version (wall)', 'tt --version', 'node -e 0', 1.5),
    compare('tt tasks --help, compile cache off (wall)', 'tt tasks --help, no compile cache', 'node -e 0'),
    compare(
      'tt tasks list, compile cache off (wall)',
      'tt tasks list, no compile cache',
      'bare SDK Query (.mjs)',
    ),
    compare('bare SDK Query .mjs vs node -e 0 (wall)', 'bare SDK Query (.mjs)', 'node -e 0'),
  ];
  saveAndPrint('cli-latency', rows, {
    bin: TT,
    runs: RUNS,
    medianMs: Object.fromEntries(names.map((name) => [name, Math.round(at(name))])),
    medianCpuMs: BASH ? Object.fromEntries(names.map((name) => [name, Math.round(cpuAt(name))])) : null,
    ms,
    cpuMs,
    loadAverage: { start: loadStart, end: loadavg() },
    note: 'shared 2-core machine with other jobs running: expect noise',
  });
} finally {
  node([TT, 'local', 'stop']);
  rmSync(dataDir, { recursive: true, force: true });
}
