import { DeleteTableCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { TABLE_DEFINITIONS, type TableNames } from '@tasktracker/core';

// Table creation is core's (users of the library need it too); re-exported so local's callers keep working.
export { ensureTables } from '@tasktracker/core';

/** By name rather than instanceof: two copies of the SDK in one process must not break the check. */
function isAwsError(error: unknown, name: string): boolean {
  return error instanceof Error && error.name === name;
}

/** Deletes every table in core's TABLE_DEFINITIONS; a table already gone is fine. */
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
