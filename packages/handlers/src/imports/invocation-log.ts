import type { CreateTableCommandInput } from '@aws-sdk/client-dynamodb';
import * as z from 'zod';

/** One item per import invocation (seed 002), keyed so that each invocation is its own partition. */
export const INVOCATION_LOG_KEY = { partitionKey: 'requestId', sortKey: 'timestamp' } as const;

export const InvocationLogItemSchema = z.object({
  requestId: z.uuid(),
  timestamp: z.iso.datetime(),
  bucketName: z.string(),
  objectKey: z.string(),
  eventName: z.string(),
  functionName: z.string(),
  awsRequestId: z.string(),
  imported: z.number().int().min(0),
  duplicates: z.number().int().min(0),
  rejected: z.number().int().min(0),
  status: z.enum(['imported', 'failed']),
  /** Why a file could not be read at all; rejected rows are listed in the log lines, not here. */
  error: z.string().optional(),
});
export type InvocationLogItem = z.infer<typeof InvocationLogItemSchema>;

export function invocationLogTableInput(tableName: string): CreateTableCommandInput {
  return {
    TableName: tableName,
    BillingMode: 'PAY_PER_REQUEST',
    AttributeDefinitions: [
      { AttributeName: INVOCATION_LOG_KEY.partitionKey, AttributeType: 'S' },
      { AttributeName: INVOCATION_LOG_KEY.sortKey, AttributeType: 'S' },
    ],
    KeySchema: [
      { AttributeName: INVOCATION_LOG_KEY.partitionKey, KeyType: 'HASH' },
      { AttributeName: INVOCATION_LOG_KEY.sortKey, KeyType: 'RANGE' },
    ],
  };
}
