import {
  CreateTableCommand,
  DeleteTableCommand,
  DescribeTableCommand,
  DescribeTimeToLiveCommand,
  type DynamoDBClient,
  UpdateTimeToLiveCommand,
  waitUntilTableExists,
} from '@aws-sdk/client-dynamodb';
import {
  createTableInput,
  TABLE_DEFINITIONS,
  type TableDefinition,
  type TableNames,
} from '@tasktracker/core';

/** By name rather than instanceof: two copies of the SDK in one process must not break the check. */
function isAwsError(error: unknown, name: string): boolean {
  return error instanceof Error && error.name === name;
}

async function tableStatus(client: DynamoDBClient, tableName: string): Promise<string | undefined> {
  try {
    const { Table } = await client.send(new DescribeTableCommand({ TableName: tableName }));
    return Table?.TableStatus ?? 'ACTIVE';
  } catch (error) {
    if (isAwsError(error, 'ResourceNotFoundException')) return undefined;
    throw error;
  }
}

async function enableTimeToLive(client: DynamoDBClient, tableName: string, attribute: string): Promise<void> {
  const { TimeToLiveDescription } = await client.send(
    new DescribeTimeToLiveCommand({ TableName: tableName }),
  );
  const status = TimeToLiveDescription?.TimeToLiveStatus;
  if (status === 'ENABLED' || status === 'ENABLING') return;
  try {
    await client.send(
      new UpdateTimeToLiveCommand({
        TableName: tableName,
        TimeToLiveSpecification: { AttributeName: attribute, Enabled: true },
      }),
    );
  } catch (error) {
    // A concurrent ensureTables may have enabled it between our describe and update.
    if (isAwsError(error, 'ValidationException') && /already enabled/i.test((error as Error).message)) return;
    throw error;
  }
}

async function ensureTable(client: DynamoDBClient, definition: TableDefinition, tableName: string) {
  const status = await tableStatus(client, tableName);
  if (status === undefined) {
    try {
      await client.send(new CreateTableCommand(createTableInput(definition, tableName)));
    } catch (error) {
      // Another process created it after our describe: same outcome.
      if (!isAwsError(error, 'ResourceInUseException')) throw error;
    }
  }
  // DynamoDB Local creates tables ACTIVE at once; real DynamoDB needs the wait before UpdateTimeToLive.
  if (status !== 'ACTIVE') {
    await waitUntilTableExists(
      { client, maxWaitTime: 120, minDelay: 1, maxDelay: 5 },
      { TableName: tableName },
    );
  }
  if (definition.ttlAttribute) await enableTimeToLive(client, tableName, definition.ttlAttribute);
}

/** Creates every table core defines (with its indexes and TTL) unless it exists; safe to call on every start. */
export async function ensureTables(client: DynamoDBClient, names: TableNames): Promise<void> {
  await Promise.all(
    TABLE_DEFINITIONS.map((definition) => ensureTable(client, definition, names[definition.table])),
  );
}

export async function deleteTables(client: DynamoDBClient, names: TableNames): Promise<void> {
  await Promise.all(
    TABLE_DEFINITIONS.map(async (definition) => {
      try {
        await client.send(new DeleteTableCommand({ TableName: names[definition.table] }));
      } catch (error) {
        if (!isAwsError(error, 'ResourceNotFoundException')) throw error;
      }
    }),
  );
}
