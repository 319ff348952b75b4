/**
 * Service-level objectives for `pnpm loadtest --slo 'p99<200,errors<0.1%'`: a comma-separated list of
 * `[route.]metric<value` (or `>` for throughput). Metrics: p50, p95, p99 (ms), errors (% of requests
 * that were not 2xx or failed at the socket) and rps (requests per second). Without a route, the
 * objective applies to all requests together. Pure functions: the load test measures, these judge.
 */
export interface Objective {
  route: string | undefined;
  metric: 'p50' | 'p95' | 'p99' | 'errors' | 'rps';
  comparison: '<' | '>';
  value: number;
  text: string;
}

export interface Measured {
  p50: number;
  p95: number;
  p99: number;
  /** Percent of requests. */
  errors: number;
  rps: number;
}

const OBJECTIVE = /^(?:([a-z-]+)\.)?(p50|p95|p99|errors|rps)\s*([<>])\s*(\d+(?:\.\d+)?)(ms|%)?$/;
const METRICS = ['p50', 'p95', 'p99', 'errors', 'rps'] as const;
const isMetric = (name: string | undefined): name is Objective['metric'] =>
  (METRICS as readonly (string | undefined)[]).includes(name);

export class SloSyntaxError extends Error {
  override readonly name = 'SloSyntaxError';
}

export function parseSlo(text: string): Objective[] {
  return text
    .split(',')
    .map((part) => part.trim())
    .filter(Boolean)
    .map((part) => {
      const match = OBJECTIVE.exec(part);
      if (!match) {
        throw new SloSyntaxError(
          `cannot read the objective "${part}": write e.g. p99<200, errors<0.1%, create.p95<150, rps>100`,
        );
      }
      const [, route, metric, comparison, value, unit] = match;
      if (!isMetric(metric)) throw new SloSyntaxError(`"${part}": unknown metric`);
      const parsedMetric = metric;
      if (unit === '%' && parsedMetric !== 'errors')
        throw new SloSyntaxError(`"${part}": only errors is a percentage`);
      if (unit === 'ms' && !parsedMetric.startsWith('p'))
        throw new SloSyntaxError(`"${part}": only p50/p95/p99 are in ms`);
      const expected = parsedMetric === 'rps' ? '>' : '<';
      if (comparison !== expected) throw new SloSyntaxError(`"${part}": ${parsedMetric} takes ${expected}`);
      return { route, metric: parsedMetric, comparison: expected, value: Number(value), text: part };
    });
}

export interface Verdict {
  objective: Objective;
  actual: number | undefined;
  met: boolean;
}

/** Each objective against the measured figures (`all` and one entry per route). */
export function evaluateSlo(
  objectives: Objective[],
  measured: { all: Measured; routes: Record<string, Measured> },
): Verdict[] {
  return objectives.map((objective) => {
    const figures = objective.route ? measured.routes[objective.route] : measured.all;
    const actual = figures?.[objective.metric];
    const met =
      actual !== undefined &&
      (objective.comparison === '<' ? actual < objective.value : actual > objective.value);
    return { objective, actual, met };
  });
}
