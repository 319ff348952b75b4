/**
 * CloudWatch Embedded Metric Format: one JSON line on stdout per invocation, which CloudWatch Logs turns
 * into metrics. No PutMetricData call, so metrics cost no latency and no extra IAM permission.
 */
export type MetricUnit = 'Count' | 'Milliseconds' | 'Bytes';

export interface MetricValue {
  name: string;
  unit: MetricUnit;
  value: number;
}

/** Business counts a route adds while it runs (TasksCreated, TasksImported, ...). */
export class BusinessMetrics {
  readonly #counts = new Map<string, number>();

  add(name: string, value = 1): void {
    this.#counts.set(name, (this.#counts.get(name) ?? 0) + value);
  }

  values(): MetricValue[] {
    return [...this.#counts].map(([name, value]) => ({ name, unit: 'Count' as const, value }));
  }
}

export interface EmfOptions {
  namespace: string;
  dimensions: Record<string, string>;
  metrics: MetricValue[];
  /** Extra fields on the line, searchable in Logs Insights but not metrics (e.g. correlationId). */
  properties?: Record<string, unknown>;
  timestamp?: number;
}

export function emfLine(options: EmfOptions): string {
  const values = Object.fromEntries(options.metrics.map((metric) => [metric.name, metric.value]));
  return JSON.stringify({
    _aws: {
      Timestamp: options.timestamp ?? Date.now(),
      CloudWatchMetrics: [
        {
          Namespace: options.namespace,
          Dimensions: [Object.keys(options.dimensions)],
          Metrics: options.metrics.map((metric) => ({ Name: metric.name, Unit: metric.unit })),
        },
      ],
    },
    ...options.properties,
    ...options.dimensions,
    ...values,
  });
}
