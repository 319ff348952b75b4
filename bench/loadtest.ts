/**
 * `pnpm loadtest [--url URL --api-key KEY[,KEY...]] [--duration 30] [--users 4] [--connections 12]
 *  [--slo 'p99<200,errors<0.1%'] [--json]`: seed 001's load test. A mixed workload of several users
 * (list with filters, get, create, update, bulk, export: bench/lib/loadtest-workload.ts) against
 * `tt local serve` (started on a scratch data dir) or, with --url, a deployed stage (one user per API
 * key). Prints throughput, p50/p95/p99 per route and the error rate; exits 1 when an objective given
 * with --slo is missed (2 for unusable arguments). A local run saves bench/results/loadtest.json, its
 * rows judged against the objectives (default: p99<200, errors<0.1%).
 */
import { loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { type LoadTestReport, runLoadTest } from './lib/loadtest-run.ts';
import { evaluateSlo, type Measured, parseSlo, SloSyntaxError } from './lib/loadtest-slo.ts';
import { type Row, saveAndPrint } from './lib/report.ts';

const DEFAULT_SLO = 'p99<200,errors<0.1%';

function fail(message: string): never {
  process.stderr.write(`error: ${message}\n`);
  process.exit(2);
}

const { values: flags } = (() => {
  try {
    return parseArgs({
      options: {
        url: { type: 'string' },
        'api-key': { type: 'string', multiple: true },
        duration: { type: 'string', default: '30' },
        users: { type: 'string', default: '4' },
        connections: { type: 'string', default: '12' },
        slo: { type: 'string' },
        json: { type: 'boolean', default: false },
      },
    });
  } catch (error) {
    return fail((error as Error).message);
  }
})();
const positive = (name: string, text: string) => {
  const value = Number(text);
  if (!Number.isInteger(value) || value < 1)
    fail(`--${name} must be a whole number of at least 1 (got "${text}")`);
  return value;
};
const durationSeconds = positive('duration', flags.duration);
const apiKeys = (flags['api-key'] ?? []).flatMap((value) => value.split(',')).filter(Boolean);
if (flags.url && apiKeys.length === 0)
  fail('--url needs --api-key (one per user; a deployed API checks them)');
if (flags.url && !/^https?:\/\//.test(flags.url))
  fail(`--url must start with http:// or https:// (got "${flags.url}")`);
let objectives: ReturnType<typeof parseSlo>;
try {
  objectives = parseSlo(flags.slo ?? DEFAULT_SLO);
} catch (error) {
  if (error instanceof SloSyntaxError) fail(error.message);
  throw error;
}

const loadAtStart = loadavg();
const report: LoadTestReport = await runLoadTest({
  ...(flags.url ? { url: flags.url } : {}),
  ...(apiKeys.length ? { apiKeys } : {}),
  users: positive('users', flags.users),
  connections: positive('connections', flags.connections),
  durationSeconds,
  log: (line) => process.stderr.write(`${line}\n`),
});

const measuredOf = (route: LoadTestReport['all']): Measured => ({
  p50: route.p50,
  p95: route.p95,
  p99: route.p99,
  errors: route.errorPercent,
  rps: route.rps,
});
const verdicts = evaluateSlo(objectives, {
  all: measuredOf(report.all),
  routes: Object.fromEntries(Object.entries(report.routes).map(([name, route]) => [name, measuredOf(route)])),
});

const ms = (value: number) => (Number.isNaN(value) ? '-' : `${value.toFixed(0)} ms`);
if (flags.json) {
  process.stdout.write(`${JSON.stringify({ ...report, slo: verdicts }, null, 2)}\n`);
} else {
  console.log(`target ${report.target}: ${report.users} users, ${report.durationSeconds} s`);
  console.table(
    Object.fromEntries(
      [...Object.entries(report.routes), ['all', report.all] as const].map(([name, route]) => [
        name,
        {
          requests: route.requests,
          'req/s': route.rps.toFixed(1),
          p50: ms(route.p50),
          p95: ms(route.p95),
          p99: ms(route.p99),
          errors: `${route.errors} (${route.errorPercent.toFixed(2)}%)`,
          '5xx': route.status5xx,
        },
      ]),
    ),
  );
  for (const verdict of verdicts) {
    const actual =
      verdict.actual === undefined
        ? 'no data'
        : verdict.actual.toFixed(verdict.objective.metric === 'errors' ? 3 : 1);
    console.log(`${verdict.met ? 'met   ' : 'MISSED'} ${verdict.objective.text} (measured ${actual})`);
  }
}

if (!flags.url) {
  // Each objective as a row: the measured figure over the objective's bound.
  const rows: Row[] = verdicts.map(({ objective, actual, met }) => {
    const scope = objective.route ?? 'all routes';
    const figures = objective.route ? report.routes[objective.route] : report.all;
    return {
      benchmark: `loadtest ${scope}: ${objective.metric} (${report.users} users, ${report.durationSeconds} s)`,
      ours:
        objective.metric === 'errors'
          ? `${(actual ?? 0).toFixed(3)}% of ${figures?.requests ?? 0}`
          : objective.metric === 'rps'
            ? `${(actual ?? 0).toFixed(0)} req/s`
            : ms(actual ?? Number.NaN),
      baseline: `objective ${objective.text}`,
      ratio: objective.value === 0 ? 0 : (actual ?? 0) / objective.value,
      goal: objective.comparison === '<' ? '< 1' : '> 1',
      pass: met,
    };
  });
  // Per route, for the table: throughput and p99 (reported, not judged).
  for (const [name, route] of Object.entries(report.routes)) {
    rows.push({
      benchmark: `loadtest ${name}: req/s; p50/p95/p99`,
      ours: `${route.rps.toFixed(0)} req/s; ${ms(route.p50)}/${ms(route.p95)}/${ms(route.p99)}`,
      baseline: `${report.all.rps.toFixed(0)} req/s all routes`,
      ratio: route.rps / report.all.rps,
      goal: 'info (share of the throughput)',
      pass: true,
    });
  }
  if (!flags.json)
    saveAndPrint('loadtest', rows, { report, loadAverage: { start: loadAtStart, end: loadavg() } });
}

const missed = verdicts.filter((verdict) => !verdict.met);
if (flags.slo && missed.length > 0) process.exitCode = 1;
