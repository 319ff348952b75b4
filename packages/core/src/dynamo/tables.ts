import type { CreateTableCommandInput, GlobalSecondaryIndex } from '@aws-sdk/client-dynamodb';

/**
 * The single source of truth for table names, key attributes and indexes. Services, the local engine's
 * table creation and the CloudFormation check all read from here.
 */
export interface TableNames {
  tasks: string;
  categories: string;
  idempotency: string;
  /** One item per import invocation (seed 002), written by the S3 import handler. */
  invocationLog: string;
}

export function defaultTableNames(stage = 'dev'): TableNames {
  return {
    tasks: `tasktracker-${stage}-tasks`,
    categories: `tasktracker-${stage}-categories`,
    idempotency: `tasktracker-${stage}-idempotency`,
    invocationLog: `tasktracker-${stage}-invocation-log`,
  };
}

export const TASKS_KEY = { partitionKey: 'userId', sortKey: 'taskId' } as const;
export const CATEGORIES_KEY = { partitionKey: 'userId', sortKey: 'categoryId' } as const;
export const IDEMPOTENCY_KEY = { partitionKey: 'id' } as const;
/** Each invocation is its own partition: a log never has a hot key. */
export const INVOCATION_LOG_KEY = { partitionKey: 'requestId', sortKey: 'timestamp' } as const;
/** Epoch seconds; DynamoDB's TTL deletes expired records (late), our reads treat them as absent at once. */
export const IDEMPOTENCY_TTL_ATTRIBUTE = 'expiresAt';

/**
 * Every index is partitioned by something that starts with the userId, so every filter is a Query
 * inside one user's data and no partition is shared between users. See packages/core/README.md.
 */
export const TASK_INDEXES = {
  byStatus: { name: 'byStatus', partitionKey: 'statusKey', sortKey: 'taskId' },
  byCategory: { name: 'byCategory', partitionKey: 'categoryKey', sortKey: 'taskId' },
  byDueDate: { name: 'byDueDate', partitionKey: 'userId', sortKey: 'dueKey' },
  byStatusDueDate: { name: 'byStatusDueDate', partitionKey: 'statusKey', sortKey: 'dueKey' },
  byPriority: { name: 'byPriority', partitionKey: 'userId', sortKey: 'priorityKey' },
} as const;

export type TaskIndexName = keyof typeof TASK_INDEXES;

export interface KeyAttributes {
  partitionKey: string;
  sortKey?: string;
}

export interface TableDefinition {
  /** Which logical table: the key of TableNames. */
  table: keyof TableNames;
  key: KeyAttributes;
  indexes: { name: string; partitionKey: string; sortKey: string }[];
  ttlAttribute?: string;
}

export const TABLE_DEFINITIONS: readonly TableDefinition[] = [
  { table: 'tasks', key: TASKS_KEY, indexes: Object.values(TASK_INDEXES) },
  { table: 'categories', key: CATEGORIES_KEY, indexes: [] },
  { table: 'idempotency', key: IDEMPOTENCY_KEY, indexes: [], ttlAttribute: IDEMPOTENCY_TTL_ATTRIBUTE },
  { table: 'invocationLog', key: INVOCATION_LOG_KEY, indexes: [] },
];

/** The CreateTable input for one definition: every key attribute is a string, every index projects ALL. */
export function createTableInput(definition: TableDefinition, tableName: string): CreateTableCommandInput {
  const keySchema = (key: KeyAttributes) => [
    { AttributeName: key.partitionKey, KeyType: 'HASH' as const },
    ...(key.sortKey ? [{ AttributeName: key.sortKey, KeyType: 'RANGE' as const }] : []),
  ];
  const attributes = new Set<string>();
  for (const key of [definition.key, ...definition.indexes]) {
    attributes.add(key.partitionKey);
    if (key.sortKey) attributes.add(key.sortKey);
  }
  const indexes: GlobalSecondaryIndex[] = definition.indexes.map((index) => ({
    IndexName: index.name,
    KeySchema: keySchema(index),
    Projection: { ProjectionType: 'ALL' },
  }));
  return {
    TableName: tableName,
    BillingMode: 'PAY_PER_REQUEST',
    AttributeDefinitions: [...attributes].map((name) => ({ AttributeName: name, AttributeType: 'S' })),
    KeySchema: keySchema(definition.key),
    ...(indexes.length > 0 ? { GlobalSecondaryIndexes: indexes } : {}),
  };
}
