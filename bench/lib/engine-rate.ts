/**
 * A warm engine's request rate: DynamoDB Local in memory, 10 callers sending PutItem and Query (two to
 * one) through the SDK, 15 s of warm-up (long enough for the JIT to settle) then 10 s measured.
 * `jvmOptions` as engine.ts takes them: undefined for the default flags, [] for the JVM's own.
 */
import { CreateTableCommand, PutItemCommand, QueryCommand } from '@aws-sdk/client-dynamodb';
import { dynamoDbLocalDir, localDynamoClient, startDynamoDbLocal } from '@tasktracker/local';
import { plainLaunch } from '../../packages/local/src/cds/archive.ts';
import { engineJvmOptions } from '../../packages/local/src/engine.ts';

const CALLERS = 10;

export async function engineRequestRate(jvmOptions?: string[], warmUpMs = 15_000, measureMs = 10_000) {
  const engine = await startDynamoDbLocal({
    launch: plainLaunch(dynamoDbLocalDir(), jvmOptions ?? engineJvmOptions()),
  });
  const client = localDynamoClient(engine.endpoint);
  try {
    const TableName = 'rate';
    await client.send(
      new CreateTableCommand({
        TableName,
        BillingMode: 'PAY_PER_REQUEST',
        AttributeDefinitions: [
          { AttributeName: 'userId', AttributeType: 'S' },
          { AttributeName: 'taskId', AttributeType: 'S' },
        ],
        KeySchema: [
          { AttributeName: 'userId', KeyType: 'HASH' },
          { AttributeName: 'taskId', KeyType: 'RANGE' },
        ],
      }),
    );
    let next = 0;
    const phase = async (ms: number) => {
      let done = 0;
      const end = Date.now() + ms;
      await Promise.all(
        Array.from({ length: CALLERS }, async () => {
          while (Date.now() < end) {
            const i = next++;
            const userId = { S: `user-${i % 7}` };
            if (i % 3) {
              await client.send(
                new PutItemCommand({
                  TableName,
                  Item: { userId, taskId: { S: String(i).padStart(10, '0') }, title: { S: `task ${i}` } },
                }),
              );
            } else {
              await client.send(
                new QueryCommand({
                  TableName,
                  KeyConditionExpression: 'userId = :u',
                  ExpressionAttributeValues: { ':u': userId },
                  ScanIndexForward: false,
                  Limit: 20,
                }),
              );
            }
            done++;
          }
        }),
      );
      return done;
    };
    await phase(warmUpMs);
    const started = performance.now();
    const done = await phase(measureMs);
    return done / ((performance.now() - started) / 1000);
  } finally {
    client.destroy();
    await engine.stop();
  }
}
