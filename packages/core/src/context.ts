import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { TableNames } from './dynamo/tables.ts';
import type { Logger } from './logger.ts';

/** What every service receives: injected at the edge, never read from globals. */
export interface TrackerContext {
  doc: DynamoDBDocumentClient;
  tables: TableNames;
  logger: Logger;
  now: () => Date;
  idempotencyTtlSeconds: number;
}
