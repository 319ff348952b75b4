import { describe, expect, inject, it } from 'vitest';
import { runLoadTest } from '../../bench/lib/loadtest-run.ts';
import { evaluateSlo, parseSlo, SloSyntaxError } from '../../bench/lib/loadtest-slo.ts';
import { ROUTES } from '../../bench/lib/loadtest-workload.ts';

/**
 * `pnpm loadtest` (bench/loadtest.ts), as CI runs it: 10 seconds of the mixed workload against
 * `tt local serve`. It asserts what must hold under load whatever the machine: every route answered
 * and none with a 5xx. Latencies are printed, never asserted.
 */
const noEngine = !inject('dynamoEndpoint');

describe.skipIf(noEngine)('the load test against tt local serve', () => {
  it('runs every route of the mixed workload for 10 s without one 5xx', async () => {
    const report = await runLoadTest({ durationSeconds: 10, users: 3, connections: 8 });
    console.log(
      `loadtest (10 s): ${report.all.requests} requests, ${report.all.rps.toFixed(0)} req/s, statuses ${JSON.stringify(report.all.statuses)}`,
    );
    expect(report.all.status5xx).toBe(0);
    for (const route of ROUTES) {
      const answered = Object.entries(report.routes[route.name]?.statuses ?? {})
        .filter(([status]) => status.startsWith('2'))
        .reduce((sum, [, count]) => sum + count, 0);
      expect(answered, `${route.name} got no 2xx answer`).toBeGreaterThan(0);
    }
  }, 240_000);
});

describe('load test objectives (--slo)', () => {
  const figures = (p99: number, errors: number) => ({ p50: p99 / 4, p95: p99 / 2, p99, errors, rps: 120 });

  it('reads objectives for all routes and for one route', () => {
    expect(parseSlo('p99<200, errors<0.1%, create.p95<150ms, rps>50')).toMatchObject([
      { route: undefined, metric: 'p99', comparison: '<', value: 200 },
      { route: undefined, metric: 'errors', comparison: '<', value: 0.1 },
      { route: 'create', metric: 'p95', comparison: '<', value: 150 },
      { route: undefined, metric: 'rps', comparison: '>', value: 50 },
    ]);
  });

  it('refuses what it cannot judge, saying how to write it', () => {
    for (const text of ['p90<200', 'p99>200', 'errors<5ms', 'rps<10', 'latency fast']) {
      expect(() => parseSlo(text), text).toThrow(SloSyntaxError);
    }
  });

  it('judges each objective against the figures of its scope', () => {
    const verdicts = evaluateSlo(parseSlo('p99<200,errors<0.1%,export.p99<100,missing.p99<1'), {
      all: figures(180, 0.05),
      routes: { export: figures(250, 0) },
    });
    expect(verdicts.map((verdict) => verdict.met)).toEqual([true, true, false, false]);
    expect(verdicts[2]?.actual).toBe(250);
    expect(verdicts[3]?.actual).toBeUndefined();
  });
});
