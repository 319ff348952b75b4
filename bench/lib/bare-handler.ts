// The baseline of bench/bundles.ts: a handler that bundles only the DynamoDB client and the document
// client, created at init like ours, and answers one GetItem. Nothing of tasktracker.
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';

const doc = DynamoDBDocumentClient.from(new DynamoDBClient({}));

export const handler = async (event: { pathParameters?: { id?: string } }) => {
  const { Item } = await doc.send(
    new GetCommand({
      TableName: process.env.TASKS_TABLE,
      Key: { userId: 'u', taskId: event.pathParameters?.id },
    }),
  );
  return { statusCode: Item ? 200 : 404, body: JSON.stringify({ data: Item ?? null }) };
};
