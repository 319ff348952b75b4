import { createTestTables } from '@tasktracker/local/testing';
import { afterAll, beforeAll, inject, vi } from 'vitest';
import type { Handler } from './events.ts';
import { ROUTE_MODULES, type RouteModuleName } from './modules.ts';

/** Empty when the global setup could not start DynamoDB Local (outside CI only; it printed why). */
export const endpoint = inject('dynamoEndpoint');
export const noEngine = !endpoint;

export const ALLOWED_ORIGIN = 'https://app.example.com';

/**
 * Fresh tables for one test file, the Lambda environment pointing at them, and the real handler modules
 * imported afterwards (they build their clients on import, as in Lambda's init phase).
 */
export function useHandlers<const Names extends readonly RouteModuleName[]>(
  modules: Names,
  /** Read when the handlers are loaded, so it may use values from earlier hooks (a moto endpoint). */
  extraEnv: () => Record<string, string> = () => ({}),
) {
  const state = {
    handlers: {} as Record<Names[number], Handler>,
    tables: { tasks: '', categories: '', idempotency: '', invocationLog: '' },
    /** EMF lines the handlers wrote to stdout, parsed; kept out of the test output. */
    metrics: [] as Record<string, unknown>[],
  };
  let drop: (() => Promise<void>) | undefined;
  beforeAll(async () => {
    if (noEngine) return;
    const created = await createTestTables(endpoint);
    drop = created.drop;
    state.tables = created.tables;
    Object.assign(process.env, {
      AWS_REGION: 'us-east-1',
      AWS_ACCESS_KEY_ID: 'local',
      AWS_SECRET_ACCESS_KEY: 'local',
      AWS_ENDPOINT_URL_DYNAMODB: endpoint,
      STAGE: 'dev',
      LOG_LEVEL: 'silent',
      TASKS_TABLE: created.tables.tasks,
      CATEGORIES_TABLE: created.tables.categories,
      IDEMPOTENCY_TABLE: created.tables.idempotency,
      INVOCATION_LOG_TABLE: created.tables.invocationLog,
      ALLOWED_ORIGINS: ALLOWED_ORIGIN,
      METRICS_NAMESPACE: 'TaskTrackerTest',
      ...extraEnv(),
    });
    const write = process.stdout.write.bind(process.stdout) as (chunk: string | Uint8Array) => boolean;
    vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
      const text = String(chunk);
      if (!text.startsWith('{"_aws"')) return write(chunk);
      state.metrics.push(JSON.parse(text) as Record<string, unknown>);
      return true;
    });
    for (const name of modules) {
      state.handlers[name as Names[number]] = (await ROUTE_MODULES[name]()).handler;
    }
  });
  afterAll(async () => {
    await drop?.();
  });
  return state;
}
