import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, paginateQuery } from '@aws-sdk/lib-dynamodb';
import type { TableNames } from '@tasktracker/core';

/**
 * Every item of one user's partition, read with a raw consistent Query on a client that bypasses the
 * fault proxy: the truth the services' own reports are checked against.
 */
export async function readPartition(
  client: DynamoDBClient,
  table: string,
  userId: string,
): Promise<Record<string, unknown>[]> {
  const doc = DynamoDBDocumentClient.from(client);
  const items: Record<string, unknown>[] = [];
  const pages = paginateQuery(
    { client: doc },
    {
      TableName: table,
      KeyConditionExpression: 'userId = :user',
      ExpressionAttributeValues: { ':user': userId },
      ConsistentRead: true,
    },
  );
  for await (const page of pages) items.push(...(page.Items ?? []));
  return items;
}

export interface UserState {
  tasks: Record<string, unknown>[];
  /** taskCount stored on each category, by category id. */
  storedCounts: Map<string, number>;
  /** Tasks actually in each category, by category id. */
  actualCounts: Map<string, number>;
}

/** A user's tasks and categories as stored, with each category's stored and actual task count. */
export async function readUserState(
  client: DynamoDBClient,
  tables: TableNames,
  userId: string,
): Promise<UserState> {
  const tasks = await readPartition(client, tables.tasks, userId);
  const categories = (await readPartition(client, tables.categories, userId)).filter(
    (item) => !String(item.categoryId).startsWith('~'),
  );
  const storedCounts = new Map(
    categories.map((item) => [String(item.categoryId), Number(item.taskCount ?? 0)]),
  );
  const actualCounts = new Map(categories.map((item) => [String(item.categoryId), 0]));
  for (const task of tasks) {
    if (typeof task.categoryId === 'string') {
      actualCounts.set(task.categoryId, (actualCounts.get(task.categoryId) ?? 0) + 1);
    }
  }
  return { tasks, storedCounts, actualCounts };
}
