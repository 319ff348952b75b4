import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { closeSync, openSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { freePort } from '../engine.ts';
import { pythonTool, REPO_ROOT } from './python-tools.ts';

/** Our launcher: ministack bound to loopback, with what it lacks for our stack (localstack/ministack.md). */
const LAUNCHER = path.join(REPO_ROOT, 'localstack', 'ministack-server.py');

export interface Ministack {
  /** http://127.0.0.1:<port>: what LOCALSTACK_ENDPOINT names. */
  endpoint: string;
  version: string;
  /** Live processes of its process group: ministack itself and every Lambda worker it started. */
  processes(): number[];
  /** The end of its log (the Lambdas' output is in it too), for a failing test's message. */
  logTail(lines?: number): Promise<string>;
  /** SIGTERM to the whole group, SIGKILL to what is left after 10 s; resolves once none is alive. */
  stop(): Promise<void>;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Live pids whose process group is `group` (ps is on Linux and macOS alike; /proc only on Linux). A
 * zombie has ended and only waits for its parent to collect it, so it does not count.
 */
function processesOf(group: number): number[] {
  const table = execFileSync('ps', ['-A', '-o', 'pid=,pgid=,stat='], { encoding: 'utf8' });
  return table
    .split('\n')
    .map((line) => line.trim().split(/\s+/))
    .filter(([pid, pgid, stat]) => Number(pgid) === group && pid && !stat?.startsWith('Z'))
    .map(([pid]) => Number(pid));
}

async function waitUntilReady(endpoint: string, child: ChildProcess, tail: () => Promise<string>) {
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`ministack exited with ${child.exitCode}:\n${await tail()}`);
    try {
      // Ready once its init scripts ran (there are none) and the HTTP port answers.
      const response = await fetch(`${endpoint}/_ministack/ready`, { signal: AbortSignal.timeout(2_000) });
      if (response.ok) {
        const health = (await (await fetch(`${endpoint}/_ministack/health`)).json()) as { version?: string };
        return health.version ?? 'unknown';
      }
    } catch {
      // not listening yet
    }
    await sleep(200);
  }
  throw new Error(`ministack did not answer within 30 s:\n${await tail()}`);
}

/**
 * ministack on a free loopback port, in a process group of its own so that stopping it also ends the
 * Lambda workers it spawned. Its environment is ours reduced to PATH (the Node running the tests first:
 * that `node` runs the functions) and HOME: the functions inherit ministack's environment, which on
 * AWS holds nothing of the caller's. Everything it writes goes to a temporary directory, removed on stop.
 */
export async function startMinistack(python: string): Promise<Ministack> {
  const port = await freePort();
  const endpoint = `http://127.0.0.1:${port}`;
  const dir = await mkdtemp(path.join(tmpdir(), 'tt-ministack-'));
  const logFile = path.join(dir, 'ministack.log');
  const log = openSync(logFile, 'w');
  const child = spawn(python, [LAUNCHER], {
    cwd: dir,
    detached: true,
    stdio: ['ignore', log, log],
    env: {
      PATH: [path.dirname(process.execPath), process.env.PATH].filter(Boolean).join(path.delimiter),
      ...(process.env.HOME ? { HOME: process.env.HOME } : {}),
      LANG: 'C.UTF-8',
      TMPDIR: dir,
      GATEWAY_PORT: String(port),
      STATE_DIR: path.join(dir, 'state'),
      S3_DATA_DIR: path.join(dir, 's3'),
    },
  });
  closeSync(log);
  const group = child.pid;
  if (group === undefined) throw new Error(`could not start ${python} ${LAUNCHER}`);
  const logTail = async (lines = 60) =>
    (await readFile(logFile, 'utf8').catch(() => '')).split('\n').slice(-lines).join('\n');

  // A test process that exits without stopping it (a crash, Ctrl-C) still takes the group down.
  const killOnExit = () => {
    try {
      process.kill(-group, 'SIGKILL');
    } catch {
      // already gone
    }
  };
  process.once('exit', killOnExit);

  let stopped: Promise<void> | undefined;
  const stop = () => {
    stopped ??= (async () => {
      process.off('exit', killOnExit);
      const signal = (name: NodeJS.Signals) => {
        try {
          process.kill(-group, name);
        } catch {
          // the group is gone already
        }
      };
      signal('SIGTERM');
      const deadline = Date.now() + 10_000;
      while (processesOf(group).length > 0 && Date.now() < deadline) await sleep(100);
      if (processesOf(group).length > 0) signal('SIGKILL');
      // SIGKILL cannot be ignored; the bound only keeps a stuck ps table from hanging the run.
      const killed = Date.now() + 5_000;
      while (processesOf(group).length > 0 && Date.now() < killed) await sleep(100);
      await rm(dir, { recursive: true, force: true });
    })();
    return stopped;
  };

  try {
    const version = await waitUntilReady(endpoint, child, logTail);
    return { endpoint, version, processes: () => processesOf(group), logTail, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

/** The venv's python with ministack installed, or undefined (outside CI, reason printed) when it cannot be had. */
export async function findMinistack(): Promise<string | undefined> {
  const binary = await pythonTool('ministack');
  return binary && path.join(path.dirname(binary), 'python');
}
