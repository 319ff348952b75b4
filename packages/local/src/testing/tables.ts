import { randomBytes } from 'node:crypto';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { defaultTableNames, type TableNames } from '@tasktracker/core';
import { localDynamoClient } from '../client.ts';
import { deleteTables, ensureTables } from '../tables.ts';

export interface TestTables {
  client: DynamoDBClient;
  tables: TableNames;
  /** Deletes the tables and closes the client. */
  drop(): Promise<void>;
}

/**
 * A fresh, uniquely prefixed set of tables on a shared engine, so test files running in parallel
 * never see each other's items.
 */
export async function createTestTables(endpoint: string): Promise<TestTables> {
  const prefix = `t${randomBytes(4).toString('hex')}-`;
  const base = defaultTableNames('test');
  const tables = Object.fromEntries(
    Object.entries(base).map(([role, name]) => [role, `${prefix}${name}`]),
  ) as unknown as TableNames;
  const client = localDynamoClient(endpoint);
  await ensureTables(client, tables);
  return {
    client,
    tables,
    drop: async () => {
      try {
        await deleteTables(client, tables);
      } finally {
        client.destroy();
      }
    },
  };
}
