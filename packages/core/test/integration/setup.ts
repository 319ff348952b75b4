import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { createTestTables } from '@tasktracker/local/testing';
import { afterAll, beforeAll, inject } from 'vitest';
import { createTaskTracker, type TaskTracker, type TaskTrackerOptions } from '../../src/index.ts';

/** Empty when the global setup could not start DynamoDB Local (outside CI only; it printed why). */
export const endpoint = inject('dynamoEndpoint');
export const noEngine = !endpoint;

export interface CallLog {
  calls: Record<string, number>;
  scanned: number;
  reset(): void;
  total(): number;
}

/** Counts the DynamoDB calls a client makes, by command, and the items Query reads (ScannedCount). */
export function countCalls(client: DynamoDBClient): CallLog {
  const log: CallLog = {
    calls: {},
    scanned: 0,
    reset() {
      log.calls = {};
      log.scanned = 0;
    },
    total: () => Object.values(log.calls).reduce((sum, count) => sum + count, 0),
  };
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const name = String(context.commandName).replace(/Command$/, '');
      log.calls[name] = (log.calls[name] ?? 0) + 1;
      const result = await next(args);
      const output = result.output as { ScannedCount?: number };
      log.scanned += output.ScannedCount ?? 0;
      return result;
    },
    { step: 'initialize', name: 'countCalls' },
  );
  return log;
}

export interface TestTracker {
  tracker: TaskTracker;
  client: DynamoDBClient;
  calls: CallLog;
  /** Another tracker on the same tables, e.g. with a different clock. */
  withOptions(options: Partial<TaskTrackerOptions>): TaskTracker;
}

/** A tracker on fresh tables of its own for one test file; the tables are dropped afterwards. */
export function useTracker(): TestTracker {
  const state = {} as TestTracker;
  let drop: (() => Promise<void>) | undefined;
  beforeAll(async () => {
    if (noEngine) return;
    const created = await createTestTables(endpoint);
    drop = created.drop;
    state.client = created.client;
    state.calls = countCalls(created.client);
    state.tracker = createTaskTracker({ client: created.client, tables: created.tables });
    state.withOptions = (options) =>
      createTaskTracker({ client: created.client, tables: created.tables, ...options });
  });
  afterAll(async () => {
    await drop?.();
  });
  return state;
}

export const SKIP_REASON = 'DynamoDB Local is not available: see the global setup message';
