/**
 * `pnpm bench:api`: local API throughput of POST /tasks with an API key, with autocannon (10
 * connections, 3 s warm-up then 10 s measured, rounds alternating the order of the targets):
 *   - `tt local serve`: the real CLI, handlers in-process behind API Gateway's checks;
 *   - `osls offline`: osls (the open-source serverless v3 fork) with serverless-offline, wrapping the
 *     same handler bundle `tt package` ships; by default each Lambda instance runs in a worker thread,
 *     with `--useInProcess` in osls's own thread (peers: bench/peers, see bench/lib/peers.ts for how the
 *     proprietary serverless v4 that serverless-offline names as a peer is kept out);
 *   - bench/lib/plain-server.ts: ~40 lines of node:http calling that bundle in-process, the floor;
 *   - the engine alone: the handler's PutItem from 10 concurrent callers, the ceiling they all share.
 * Every target writes to the same DynamoDB Local (the one `tt local start` runs), same tables, same
 * user. Besides req/s and p99, each server process's CPU time per request: on this shared machine the
 * engine and the load cap req/s, while CPU per request is what the server itself costs.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { promisify } from 'node:util';
import { DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import { defaultTableNames } from '@tasktracker/core';
import { bundleHandlers, requireCheckout } from '@tasktracker/deploy';
import { freePort, LOCAL_CREDENTIALS, LOCAL_REGION, localDynamoClient } from '@tasktracker/local';
import { apiKeyIdOf } from '@tasktracker/local/api';
import { monotonicFactory } from 'ulid';
// The engine-alone baseline writes items of exactly the handler's stored shape, as bench/core.ts does.
import { toTaskItem } from '../packages/core/src/tasks/item.ts';
import { writeOslsService } from './lib/osls-service.ts';
import { ensurePeers, importPeer, peerBin, peerVersion } from './lib/peers.ts';
import { percentile } from './lib/percentile.ts';
import { median, type Row, saveAndPrint } from './lib/report.ts';
import { cpuMs, firstJsonUrl, type Server, startServer } from './lib/servers.ts';

const run = promisify(execFile);
const loadAtStart = loadavg();
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const WARMUP_S = Number(process.env.BENCH_WARMUP_S ?? 3);
const MEASURE_S = Number(process.env.BENCH_MEASURE_S ?? 10);
const CONNECTIONS = 10;
const API_KEY = 'bench-api-key-0123456789abcdef';
const USER_ID = apiKeyIdOf(API_KEY);
const nextId = monotonicFactory();
const ENGINE_ALONE = 'engine alone (PutItem x10)';
const BODY = JSON.stringify({ title: 'Benchmark task', description: 'one POST of many', priority: 'medium' });

ensurePeers();
interface AutocannonResult {
  requests: { average: number; total: number };
  latency: { p50: number; p99: number };
  non2xx: number;
  errors: number;
  timeouts: number;
}
const { default: autocannon } = await importPeer<{
  default: (options: Record<string, unknown>) => Promise<AutocannonResult>;
}>('autocannon');

const project = requireCheckout();
const TT = join(project.root, 'packages', 'cli', 'dist', 'tt.mjs');
const work = mkdtempSync(join(tmpdir(), 'tt-bench-api-'));
const dataDir = join(work, 'data');
const baseEnv = {
  ...process.env,
  TASKTRACKER_DATA_DIR: dataDir,
};

async function post(url: string): Promise<Response> {
  return fetch(`${url}/tasks`, {
    method: 'POST',
    headers: { 'x-api-key': API_KEY, 'content-type': 'application/json' },
    body: BODY,
  });
}

/** Polls until one POST succeeds: the first call also loads the handler (a cold start, not measured). */
async function firstCreate(server: Server): Promise<void> {
  let last = '';
  for (let attempt = 0; attempt < 100; attempt++) {
    try {
      const response = await post(server.url);
      if (response.status === 201) return;
      last = `${response.status} ${await response.text()}`;
    } catch (error) {
      last = String(error);
    }
    await sleep(200);
  }
  throw new Error(`${server.name}: POST /tasks never answered 201 (last: ${last})`);
}

interface Measured {
  rps: number;
  p50: number;
  p99: number;
  /** The target process's CPU time per request: what the server itself costs, whatever the engine does. */
  cpuMsPerRequest: number;
}

async function load(server: Server, seconds: number): Promise<Measured> {
  const cpuBefore = cpuMs(server.child.pid!);
  const result = await autocannon({
    url: `${server.url}/tasks`,
    method: 'POST',
    headers: { 'x-api-key': API_KEY, 'content-type': 'application/json' },
    body: BODY,
    connections: CONNECTIONS,
    duration: seconds,
  });
  if (result.non2xx > 0 || result.errors > 0 || result.timeouts > 0)
    throw new Error(
      `${server.name}: ${result.non2xx} non-2xx, ${result.errors} errors, ${result.timeouts} timeouts; see ${server.log}`,
    );
  return {
    rps: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    cpuMsPerRequest: (cpuMs(server.child.pid!) - cpuBefore) / result.requests.total,
  };
}

// --- the engine and `tt local serve` -----------------------------------------------------------------
await run(process.execPath, [TT, 'local', 'start'], { env: baseEnv });
const servers: Server[] = [];
const failures: Record<string, string> = {};
const stopAll = async () => {
  for (const server of servers) server.child.kill('SIGINT');
  await run(process.execPath, [TT, 'local', 'stop'], { env: baseEnv }).catch(() => undefined);
};

try {
  const serve = await startServer(
    work,
    'tt local serve',
    [TT, 'local', 'serve', '--port', '0', '--json'],
    baseEnv,
    project.root,
    firstJsonUrl,
  );
  servers.push(serve);
  const { engine } = JSON.parse(readFileSync(serve.log, 'utf8').split('\n')[0] as string) as {
    engine: string;
  };

  // --- the handler bundle, exactly as `tt package` builds it, and the environment it reads -------------
  const tables = defaultTableNames('dev');
  const handlerEnv = {
    AWS_ENDPOINT_URL: engine,
    AWS_REGION: LOCAL_REGION,
    AWS_ACCESS_KEY_ID: LOCAL_CREDENTIALS.accessKeyId,
    AWS_SECRET_ACCESS_KEY: LOCAL_CREDENTIALS.secretAccessKey,
    STAGE: 'dev',
    TASKS_TABLE: tables.tasks,
    CATEGORIES_TABLE: tables.categories,
    IDEMPOTENCY_TABLE: tables.idempotency,
    INVOCATION_LOG_TABLE: tables.invocationLog,
    // As `tt local serve` runs them: warnings and errors only (the EMF metrics line is always written).
    LOG_LEVEL: 'warn',
    ALLOWED_ORIGINS: 'http://localhost:3000,http://127.0.0.1:3000',
  };
  const bundles = join(work, 'bundles');
  await bundleHandlers(project.handlersSource, bundles, project.root, ['tasks-create']);
  const bundle = join(bundles, 'tasks-create', 'index.mjs');

  // --- the 40-line server --------------------------------------------------------------------------------
  servers.push(
    await startServer(
      work,
      'plain node:http',
      ['--import', 'tsx', join(project.root, 'bench', 'lib', 'plain-server.ts'), bundle, USER_ID],
      { ...process.env, ...handlerEnv },
      project.root,
      firstJsonUrl,
    ),
  );

  // --- osls offline ----------------------------------------------------------------------------------------
  const service = writeOslsService(join(work, 'osls-service'), { bundle, apiKey: API_KEY, env: handlerEnv });
  const osls = peerBin('osls', 'osls');
  const oslsEnv = {
    ...process.env,
    ...handlerEnv,
    // serverless-offline's stand-in for the API key id API Gateway passes: the same user as the others.
    SLS_API_KEY_ID: USER_ID,
    SLS_TELEMETRY_DISABLED: '1',
    SLS_NOTIFICATIONS_MODE: 'off',
  };
  for (const [name, extra] of [
    ['osls offline', []],
    ['osls offline --useInProcess', ['--useInProcess']],
  ] as const) {
    const [httpPort, lambdaPort] = [await freePort(), await freePort()];
    try {
      const server = await startServer(
        work,
        name,
        [
          osls,
          'offline',
          '--httpPort',
          String(httpPort),
          '--lambdaPort',
          String(lambdaPort),
          '--noPrependStageInUrl',
          ...extra,
        ],
        oslsEnv,
        service,
        (text) => (/Server ready/.test(text) ? `http://127.0.0.1:${httpPort}` : undefined),
      );
      servers.push(server);
    } catch (error) {
      failures[name] = (error as Error).message;
      console.log(`${name} could not run: ${(error as Error).message}`);
    }
  }

  for (const server of servers) await firstCreate(server);
  console.log(
    `targets: ${servers.map((server) => `${server.name} ${server.url}`).join(', ')}; engine ${engine}`,
  );

  // --- the measured rounds ----------------------------------------------------------------------------------
  // Besides the servers, the engine alone: the same PutItem (same item, same indexes) the handler makes,
  // from 10 concurrent callers in this process. No server can beat it by much; when the servers all sit
  // near it, the engine is the bottleneck.
  const doc = DynamoDBDocumentClient.from(localDynamoClient(engine));
  const engineAlone = async (seconds: number): Promise<Measured> => {
    const latencies: number[] = [];
    const cpuBefore = process.cpuUsage();
    const deadline = performance.now() + seconds * 1000;
    await Promise.all(
      Array.from({ length: CONNECTIONS }, async () => {
        while (performance.now() < deadline) {
          const started = performance.now();
          const now = new Date().toISOString();
          const Item = toTaskItem({
            userId: USER_ID,
            taskId: nextId(),
            title: 'Benchmark task',
            description: 'one POST of many',
            priority: 'medium',
            completed: false,
            createdAt: now,
            updatedAt: now,
            version: 1,
          });
          await doc.send(new PutCommand({ TableName: tables.tasks, Item }));
          latencies.push(performance.now() - started);
        }
      }),
    );
    const cpu = process.cpuUsage(cpuBefore);
    return {
      rps: latencies.length / seconds,
      p50: percentile(latencies, 50),
      p99: percentile(latencies, 99),
      // The calling process's own CPU: not comparable with the servers' (their callers are autocannon).
      cpuMsPerRequest: (cpu.user + cpu.system) / 1000 / latencies.length,
    };
  };
  const targets: { name: string; measure: (seconds: number) => Promise<Measured> }[] = [
    ...servers.map((server) => ({ name: server.name, measure: (seconds: number) => load(server, seconds) })),
    { name: ENGINE_ALONE, measure: engineAlone },
  ];
  const samples = Object.fromEntries(
    targets.map((target) => [
      target.name,
      { rps: [] as number[], p50: [] as number[], p99: [] as number[], cpuMs: [] as number[] },
    ]),
  );
  for (let round = 0; round < ROUNDS; round++) {
    const order = round % 2 === 0 ? targets : [...targets].reverse();
    for (const target of order) {
      await target.measure(WARMUP_S);
      const result = await target.measure(MEASURE_S);
      const sample = samples[target.name]!;
      sample.rps.push(result.rps);
      sample.p50.push(result.p50);
      sample.p99.push(result.p99);
      sample.cpuMs.push(result.cpuMsPerRequest);
      console.log(
        `round ${round + 1} ${target.name}: ${result.rps.toFixed(0)} req/s, p99 ${result.p99.toFixed(0)} ms`,
      );
    }
  }

  // --- report -------------------------------------------------------------------------------------------------
  const m = (name: string) => {
    const sample = samples[name];
    return sample ? { rps: median(sample.rps), p50: median(sample.p50), p99: median(sample.p99) } : undefined;
  };
  const text = (name: string) => {
    const r = m(name);
    return r
      ? `${r.rps.toFixed(0)} req/s, p99 ${r.p99.toFixed(0)} ms`
      : `not run: ${failures[name]?.split('\n')[0]}`;
  };
  const rows: Row[] = [];
  const compare = (baseline: string, goal: number | undefined) => {
    // Each round measures every target back to back: the median of the per-round ratios, as the load of
    // this shared machine drifts between rounds.
    const theirs = samples[baseline];
    const ratio = theirs
      ? median(samples['tt local serve']!.rps.map((rps, round) => rps / theirs.rps[round]!))
      : Number.NaN;
    rows.push({
      benchmark: `POST /tasks req/s vs ${baseline}`,
      ours: text('tt local serve'),
      baseline: text(baseline),
      ratio,
      goal: goal === undefined ? 'info' : `>= ${goal}`,
      pass: goal === undefined ? true : ratio >= goal,
    });
  };
  compare('osls offline', 2.5);
  compare('osls offline --useInProcess', undefined);
  compare('plain node:http', 0.8);
  compare(ENGINE_ALONE, undefined);
  // Throughput on a loaded machine is capped by the shared engine; CPU per request is what each server
  // itself costs, and varies much less with the load.
  const cpuText = (name: string) => {
    const sample = samples[name];
    return sample ? `${median(sample.cpuMs).toFixed(2)} ms CPU/req` : 'not run';
  };
  for (const baseline of ['osls offline', 'osls offline --useInProcess', 'plain node:http']) {
    const theirs = samples[baseline];
    rows.push({
      benchmark: `server CPU per request vs ${baseline}`,
      ours: cpuText('tt local serve'),
      baseline: cpuText(baseline),
      ratio: theirs
        ? median(samples['tt local serve']!.cpuMs.map((ms, round) => ms / theirs.cpuMs[round]!))
        : Number.NaN,
      goal: 'info (lower is cheaper)',
      pass: true,
    });
  }
  // This machine is shared: say how much the load moved the numbers, so that no one reads noise as a result.
  const notes: string[] = [];
  const spread = Object.entries(samples)
    .map(([name, sample]) => ({ name, times: Math.max(...sample.rps) / Math.min(...sample.rps) }))
    .filter(({ times }) => times > 1.5);
  if (spread.length > 0)
    notes.push(
      `req/s varied between rounds by ${spread.map(({ name, times }) => `x${times.toFixed(1)} (${name})`).join(', ')}, ` +
        `load average ${loadAtStart[0]!.toFixed(1)} -> ${loadavg()[0]!.toFixed(1)} on ${cpus().length} cores: ` +
        'the ratios carry that noise; CPU per request varies less.',
    );
  saveAndPrint('api-throughput', rows, {
    loadAverage: { start: loadAtStart, end: loadavg() },
    notes,
    rounds: ROUNDS,
    connections: CONNECTIONS,
    warmupSeconds: WARMUP_S,
    measureSeconds: MEASURE_S,
    versions: {
      osls: peerVersion('osls'),
      'serverless-offline': peerVersion('serverless-offline'),
      autocannon: peerVersion('autocannon'),
    },
    samples,
    failures,
  });
  for (const note of notes) console.log(`note: ${note}`);
} finally {
  await stopAll();
  rmSync(work, { recursive: true, force: true });
}
