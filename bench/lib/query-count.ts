import { type DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';

/**
 * The floor of an export's reads: a bare Query loop over one user's tasks, newest first, in the
 * export's own page size, that only counts them. `fromTaskId` bounds it the way the service bounds a
 * created-date range (a range on the ULID).
 */
export async function countByQuery(
  doc: DynamoDBDocumentClient,
  table: string,
  userId: string,
  fromTaskId?: string,
): Promise<number> {
  let rows = 0;
  let startKey: Record<string, unknown> | undefined;
  do {
    const page = await doc.send(
      new QueryCommand({
        TableName: table,
        KeyConditionExpression: fromTaskId ? 'userId = :u AND taskId >= :after' : 'userId = :u',
        ExpressionAttributeValues: fromTaskId ? { ':u': userId, ':after': fromTaskId } : { ':u': userId },
        ExclusiveStartKey: startKey,
        Limit: 1_000,
        ScanIndexForward: false,
      }),
    );
    rows += page.Items?.length ?? 0;
    startKey = page.LastEvaluatedKey;
  } while (startKey);
  return rows;
}
