import { DescribeTableCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { TaskTrackerError } from '@tasktracker/core';
import { defineRoute } from '../../http/route.ts';
import type { HttpRuntime } from '../../runtime.ts';

/** A health check must answer well inside API Gateway's 29 s, even when DynamoDB does not. */
const CHECK_TIMEOUT_MS = 2_000;

export interface DependencyCheck {
  name: string;
  status: 'ok' | 'unreachable';
  latencyMs: number;
}

async function checkTable(dynamo: DynamoDBClient, name: string, tableName: string): Promise<DependencyCheck> {
  const started = performance.now();
  let status: DependencyCheck['status'] = 'unreachable';
  try {
    const { Table } = await dynamo.send(new DescribeTableCommand({ TableName: tableName }), {
      abortSignal: AbortSignal.timeout(CHECK_TIMEOUT_MS),
    });
    if (Table?.TableStatus === 'ACTIVE' || Table?.TableStatus === 'UPDATING') status = 'ok';
  } catch {
    // The reason stays out of the answer (it names tables and accounts): status and latency only.
  }
  return { name, status, latencyMs: Math.round(performance.now() - started) };
}

/**
 * Readiness: DescribeTable on each table, in parallel, with its latency. Public, so it reveals no table
 * names or ARNs. Any unreachable table makes it a 503 that still lists every check.
 */
export const detailedHealthRoute = (runtime: HttpRuntime, dynamo: DynamoDBClient) =>
  defineRoute({
    name: 'GET /health/detailed',
    public: true,
    async handle() {
      const { tables } = runtime.config;
      const checks = await Promise.all([
        checkTable(dynamo, 'tasks', tables.tasks),
        checkTable(dynamo, 'categories', tables.categories),
        checkTable(dynamo, 'idempotency', tables.idempotency),
        checkTable(dynamo, 'invocationLog', runtime.invocationLogTable),
      ]);
      if (checks.some((check) => check.status !== 'ok')) {
        throw new TaskTrackerError('SERVICE_UNAVAILABLE', 'A dependency is unreachable', { checks });
      }
      return { data: { status: 'ok', checks } };
    },
  });
