import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  DescribeTableCommand,
  DescribeTimeToLiveCommand,
  GetItemCommand,
  PutItemCommand,
} from '@aws-sdk/client-dynamodb';
import { IDEMPOTENCY_TTL_ATTRIBUTE, TASK_INDEXES } from '@tasktracker/core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { ensureTables, localDynamoClient, startDynamoDbLocal } from '../../src/index.ts';
import { createTestTables, type TestTables } from '../../src/testing/tables.ts';

const endpoint = inject('dynamoEndpoint');
if (!endpoint)
  console.warn(
    '[tasktracker] DynamoDB Local tests skipped: no engine (Java 17+ missing, see the setup line above)',
  );

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe.skipIf(!endpoint)('test tables on the shared engine', () => {
  let test: TestTables;
  beforeAll(async () => {
    test = await createTestTables(endpoint);
  });
  afterAll(() => test?.drop());

  it('creates the tasks table with every index core defines', async () => {
    const { Table } = await test.client.send(new DescribeTableCommand({ TableName: test.tables.tasks }));
    const indexes = Table?.GlobalSecondaryIndexes?.map((index) => index.IndexName).sort();
    expect(indexes).toEqual(
      Object.values(TASK_INDEXES)
        .map((index) => index.name)
        .sort(),
    );
    expect(Table?.TableStatus).toBe('ACTIVE');
  });

  it('creates the categories table and enables TTL on the idempotency table', async () => {
    const categories = await test.client.send(
      new DescribeTableCommand({ TableName: test.tables.categories }),
    );
    expect(categories.Table?.TableStatus).toBe('ACTIVE');
    const ttl = await test.client.send(new DescribeTimeToLiveCommand({ TableName: test.tables.idempotency }));
    expect(ttl.TimeToLiveDescription).toMatchObject({
      TimeToLiveStatus: 'ENABLED',
      AttributeName: IDEMPOTENCY_TTL_ATTRIBUTE,
    });
  });

  it('is harmless to ensure the tables again, and keeps their data', async () => {
    const item = { userId: { S: 'u1' }, taskId: { S: 'keep-me' } };
    await test.client.send(new PutItemCommand({ TableName: test.tables.tasks, Item: item }));
    await ensureTables(test.client, test.tables);
    await ensureTables(test.client, test.tables);
    const { Item } = await test.client.send(
      new GetItemCommand({ TableName: test.tables.tasks, Key: item, ConsistentRead: true }),
    );
    expect(Item).toEqual(item);
  });
});

describe.skipIf(!endpoint)('a persistent engine', () => {
  let dbPath: string;
  beforeAll(async () => {
    dbPath = await mkdtemp(path.join(tmpdir(), 'tasktracker-local-'));
  });
  afterAll(() => rm(dbPath, { recursive: true, force: true }));

  it('keeps data across a restart on the same dbPath, and stop() leaves no process', async () => {
    const tables = {
      tasks: 'tasks',
      categories: 'categories',
      idempotency: 'idempotency',
      invocationLog: 'log',
    };
    const item = { userId: { S: 'u1' }, taskId: { S: 'survives-restart' } };
    const first = await startDynamoDbLocal({ dbPath });
    const firstClient = localDynamoClient(first.endpoint);
    try {
      await ensureTables(firstClient, tables);
      await firstClient.send(new PutItemCommand({ TableName: tables.tasks, Item: item }));
    } finally {
      firstClient.destroy();
      await first.stop();
    }
    expect(isRunning(first.pid)).toBe(false);
    await first.stop(); // idempotent

    const second = await startDynamoDbLocal({ dbPath });
    const secondClient = localDynamoClient(second.endpoint);
    try {
      const { Item } = await secondClient.send(
        new GetItemCommand({ TableName: tables.tasks, Key: item, ConsistentRead: true }),
      );
      expect(Item).toEqual(item);
    } finally {
      secondClient.destroy();
      await second.stop();
    }
    expect(isRunning(second.pid)).toBe(false);
  });
});
