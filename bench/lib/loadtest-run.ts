/**
 * Runs the mixed workload (loadtest-workload.ts) against a URL, or against `tt local serve` started
 * here on a scratch data dir (stopped afterwards). Each route gets its own autocannon instance; every
 * response's latency is kept, so each route gets exact p50/p95/p99.
 */
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { ROUTES, type RouteLoad, SEED_TASKS, type UserState } from './loadtest-workload.ts';
import { percentile } from './percentile.ts';

const TT = fileURLToPath(new URL('../../packages/cli/dist/tt.mjs', import.meta.url));

export interface LoadTestOptions {
  /** A deployed stage's base URL (…/dev); absent: `tt local serve` is started here. */
  url?: string;
  /** API keys, one user each; absent: `users` made-up keys (tt local serve takes any key). */
  apiKeys?: string[];
  users?: number;
  durationSeconds: number;
  /** Total connections, shared between the routes by their share of the mix. */
  connections?: number;
  log?: (line: string) => void;
}

export interface RouteReport {
  requests: number;
  rps: number;
  p50: number;
  p95: number;
  p99: number;
  /** Requests that were not 2xx, plus socket errors and timeouts. */
  errors: number;
  errorPercent: number;
  status5xx: number;
  statuses: Record<string, number>;
}

export interface LoadTestReport {
  target: string;
  durationSeconds: number;
  users: number;
  connections: Record<string, number>;
  routes: Record<string, RouteReport>;
  all: RouteReport;
}

type Autocannon = (options: Record<string, unknown>) => AutocannonInstance;
interface AutocannonInstance extends PromiseLike<{ errors: number; timeouts: number; duration: number }> {
  on(
    event: 'response',
    listener: (client: unknown, statusCode: number, bytes: number, ms: number) => void,
  ): void;
}
const autocannon = createRequire(import.meta.url)('autocannon') as Autocannon;

/** `tt local serve` on a free port with its own data dir; resolves with its URL once it listens. */
async function startServe(log: (line: string) => void) {
  const dataDir = await mkdtemp(path.join(tmpdir(), 'tt-loadtest-'));
  const env = { ...process.env, TASKTRACKER_DATA_DIR: dataDir, NO_COLOR: '1' };
  const child: ChildProcess = spawn(process.execPath, [TT, 'local', 'serve', '--port', '0', '--json'], {
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: string[] = [];
  child.stderr?.on('data', (chunk: Buffer) => lines.push(chunk.toString()));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`tt local serve did not start in 120 s:\n${lines.join('')}`)),
      120_000,
    );
    createInterface({ input: child.stdout! }).on('line', (line) => {
      if (!line.startsWith('{"url"')) return;
      clearTimeout(timer);
      resolve((JSON.parse(line) as { url: string }).url);
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`tt local serve exited (${code}):\n${lines.join('')}`));
    });
  });
  log(`tt local serve at ${url} (data in ${dataDir})`);
  return {
    url,
    async stop() {
      child.kill('SIGINT');
      await new Promise((resolve) => (child.exitCode === null ? child.once('exit', resolve) : resolve(null)));
      await promisify(execFile)(process.execPath, [TT, 'local', 'stop'], { env }).catch(() => undefined);
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

async function call(url: string, user: UserState, method: string, route: string, body?: unknown) {
  const response = await fetch(`${url}${route}`, {
    method,
    headers: { 'x-api-key': user.key, 'content-type': 'application/json' },
    ...(body ? { body: JSON.stringify(body) } : {}),
  });
  const text = await response.text();
  if (!response.ok)
    throw new Error(`${method} ${route} answered ${response.status} while seeding: ${text.slice(0, 300)}`);
  return JSON.parse(text) as { data: Record<string, string> };
}

/** Each user's category and first tasks, through the API (it works the same against a stage). */
async function seedUser(url: string, user: UserState) {
  const category = await call(url, user, 'POST', '/categories', {
    name: `Load test ${user.key.slice(-6)}-${Date.now()}`,
  });
  user.categoryId = category.data.categoryId;
  for (let i = 0; i < SEED_TASKS; i++) {
    const task = await call(url, user, 'POST', '/tasks', {
      title: `Seeded task ${i}`,
      description: i % 4 ? 'seeded' : 'monthly report',
      priority: ['low', 'medium', 'high'][i % 3],
      ...(i % 2 ? { categoryId: user.categoryId } : {}),
    });
    user.taskIds.push(task.data.taskId ?? '');
  }
}

function summarize(
  latencies: number[],
  statuses: Record<string, number>,
  socketErrors: number,
  seconds: number,
): RouteReport {
  const sorted = [...latencies].sort((a, b) => a - b);
  const requests = sorted.length + socketErrors;
  const non2xx = Object.entries(statuses)
    .filter(([status]) => !status.startsWith('2'))
    .reduce((sum, [, count]) => sum + count, 0);
  const errors = non2xx + socketErrors;
  return {
    requests,
    rps: requests / seconds,
    p50: percentile(sorted, 50),
    p95: percentile(sorted, 95),
    p99: percentile(sorted, 99),
    errors,
    errorPercent: requests ? (errors / requests) * 100 : 0,
    status5xx: Object.entries(statuses)
      .filter(([status]) => status.startsWith('5'))
      .reduce((sum, [, count]) => sum + count, 0),
    statuses,
  };
}

export async function runLoadTest(options: LoadTestOptions): Promise<LoadTestReport> {
  const log = options.log ?? (() => undefined);
  const serve = options.url ? undefined : await startServe(log);
  const url = (options.url ?? serve?.url ?? '').replace(/\/$/, '');
  try {
    const keys = options.apiKeys?.length
      ? options.apiKeys
      : Array.from({ length: options.users ?? 4 }, (_, i) => `loadtest-user-${i + 1}-${randomSuffix()}`);
    const users: UserState[] = keys.map((key) => ({ key, taskIds: [], categoryId: undefined, sequence: 0 }));
    await Promise.all(users.map((user) => seedUser(url, user)));
    log(`${users.length} users seeded with ${SEED_TASKS} tasks each; ${options.durationSeconds} s of load`);

    const total = options.connections ?? 12;
    const shares = ROUTES.reduce((sum, route) => sum + route.share, 0);
    const connections = Object.fromEntries(
      ROUTES.map((route) => [route.name, Math.max(1, Math.round((total * route.share) / shares))]),
    );
    let nextUser = 0;
    const runs = ROUTES.map((route) =>
      drive(url, route, users, connections[route.name] ?? 1, options.durationSeconds, () => nextUser++),
    );
    const results = await Promise.all(runs);
    const routes = Object.fromEntries(results.map((result) => [result.name, result.report]));
    const allLatencies = results.flatMap((result) => result.latencies);
    const allStatuses: Record<string, number> = {};
    for (const result of results)
      for (const [status, count] of Object.entries(result.report.statuses))
        allStatuses[status] = (allStatuses[status] ?? 0) + count;
    const socketErrors = results.reduce((sum, result) => sum + result.socketErrors, 0);
    return {
      target: options.url ?? 'tt local serve',
      durationSeconds: options.durationSeconds,
      users: users.length,
      connections,
      routes,
      all: summarize(allLatencies, allStatuses, socketErrors, options.durationSeconds),
    };
  } finally {
    await serve?.stop();
  }
}

const randomSuffix = () => Math.random().toString(36).slice(2, 8);

async function drive(
  url: string,
  route: RouteLoad,
  users: UserState[],
  connections: number,
  seconds: number,
  assignUser: () => number,
) {
  const latencies: number[] = [];
  const statuses: Record<string, number> = {};
  const instance = autocannon({
    url,
    connections,
    duration: seconds,
    timeout: 30,
    requests: [
      {
        setupRequest: (request: Record<string, unknown>, context: { user?: UserState }) => {
          // Each connection is one user for the whole run.
          context.user ??= users[assignUser() % users.length];
          const user = context.user as UserState;
          const next = route.request(user);
          return {
            ...request,
            method: next.method,
            path: `${new URL(url).pathname.replace(/\/$/, '')}${next.path}`,
            headers: { 'x-api-key': user.key, 'content-type': 'application/json', ...next.headers },
            ...(next.body ? { body: next.body } : {}),
          };
        },
        onResponse: (status: number, body: string, context: { user?: UserState }) => {
          if (context.user) route.onResponse?.(context.user, status, body);
        },
      },
    ],
  });
  instance.on('response', (_client, statusCode, _bytes, ms) => {
    latencies.push(ms);
    statuses[statusCode] = (statuses[statusCode] ?? 0) + 1;
  });
  const result = await instance;
  const socketErrors = result.errors + result.timeouts;
  return {
    name: route.name,
    latencies,
    socketErrors,
    report: summarize(latencies, statuses, socketErrors, seconds),
  };
}
