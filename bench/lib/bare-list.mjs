// The baseline of bench/cli-latency.ts: the Query `tt tasks list` sends (a user's newest 20 tasks, one
// more to know if a page follows), written by hand with the SDK and printed as JSON. Nothing of tasktracker.
// Usage: node bench/lib/bare-list.mjs <endpoint> <table> <userId>
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';

const [endpoint, table, userId] = process.argv.slice(2);
const client = new DynamoDBClient({
  endpoint,
  region: 'us-east-1',
  credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
});
const { Items = [] } = await DynamoDBDocumentClient.from(client).send(
  new QueryCommand({
    TableName: table,
    KeyConditionExpression: 'userId = :u',
    ExpressionAttributeValues: { ':u': userId },
    ScanIndexForward: false,
    Limit: 21,
  }),
);
process.stdout.write(`${JSON.stringify({ items: Items.slice(0, 20) })}\n`);
client.destroy();
