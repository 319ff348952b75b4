import {
  CreateTableCommand,
  DescribeTableCommand,
  DescribeTimeToLiveCommand,
  type DynamoDBClient,
  type KeySchemaElement,
  type TableDescription,
  type TimeToLiveDescription,
  UpdateTimeToLiveCommand,
} from '@aws-sdk/client-dynamodb';
import { sleep } from './retry.ts';
import {
  createTableInput,
  defaultTableNames,
  type KeyAttributes,
  TABLE_DEFINITIONS,
  type TableDefinition,
  type TableNames,
} from './tables.ts';

/** A table could not be made ready: wrong shape, stuck in a state, or TTL refused. One-line message. */
export class TableSetupError extends Error {
  override readonly name = 'TableSetupError';
}

export interface EnsureTablesOptions {
  /** How long to wait for the tables to become ACTIVE; real DynamoDB takes seconds to minutes. Default 300. */
  timeoutSeconds?: number;
}

/** States a table leaves by itself: wait them out, then look again. */
const PASSING_STATES = new Set(['CREATING', 'UPDATING', 'DELETING']);
/** DynamoDB's own answers meaning "not now", as opposed to "never". */
const TRY_AGAIN = new Set(['ResourceInUseException', 'LimitExceededException']);

/** By name rather than instanceof: two copies of the SDK in one process must not break the check. */
const errorName = (error: unknown) =>
  typeof error === 'object' && error !== null && 'name' in error ? String(error.name) : '';

const messageOf = (error: unknown) => (error instanceof Error ? error.message : String(error));

async function describeTable(client: DynamoDBClient, name: string): Promise<TableDescription | undefined> {
  try {
    return (await client.send(new DescribeTableCommand({ TableName: name }))).Table ?? {};
  } catch (error) {
    if (errorName(error) === 'ResourceNotFoundException') return undefined;
    throw error;
  }
}

/** Undefined when someone else is creating (or still deleting) the same table: look again later. */
async function createTable(
  client: DynamoDBClient,
  definition: TableDefinition,
  name: string,
): Promise<TableDescription | undefined> {
  try {
    const created = await client.send(new CreateTableCommand(createTableInput(definition, name)));
    return created.TableDescription;
  } catch (error) {
    if (TRY_AGAIN.has(errorName(error))) return undefined;
    throw error;
  }
}

function keyText(schema: KeySchemaElement[] | undefined): string {
  const hash = schema?.find((element) => element.KeyType === 'HASH')?.AttributeName;
  const range = schema?.find((element) => element.KeyType === 'RANGE')?.AttributeName;
  return range ? `${hash}+${range}` : String(hash);
}

const wantedKey = (key: KeyAttributes) =>
  key.sortKey ? `${key.partitionKey}+${key.sortKey}` : key.partitionKey;

/** A table of the right name but another shape would fail every query later with an obscure error. */
function checkShape(table: TableDescription, definition: TableDefinition, name: string): void {
  const problems: string[] = [];
  const key = keyText(table.KeySchema);
  if (table.KeySchema && key !== wantedKey(definition.key)) {
    problems.push(`key ${key} instead of ${wantedKey(definition.key)}`);
  }
  const indexes = new Map(
    (table.GlobalSecondaryIndexes ?? []).map((index) => [index.IndexName, keyText(index.KeySchema)]),
  );
  for (const index of definition.indexes) {
    const found = indexes.get(index.name);
    if (found === undefined) problems.push(`no index ${index.name}`);
    else if (found !== wantedKey(index))
      problems.push(`index ${index.name} on ${found} instead of ${wantedKey(index)}`);
  }
  if (problems.length > 0) {
    throw new TableSetupError(
      `table ${name} exists with another shape (${problems.join(', ')}): delete it or choose another table name`,
    );
  }
}

/** Creates the table if absent and waits until it is ACTIVE (DynamoDB Local is at once; AWS is not). */
async function activeTable(
  client: DynamoDBClient,
  definition: TableDefinition,
  name: string,
  deadline: number,
): Promise<TableDescription> {
  let delayMs = 100;
  for (;;) {
    const table = (await describeTable(client, name)) ?? (await createTable(client, definition, name));
    const status = table?.TableStatus ?? (table ? 'ACTIVE' : 'CREATING');
    if (status === 'ACTIVE' && table) return table;
    if (!PASSING_STATES.has(status)) {
      throw new TableSetupError(`table ${name} is ${status}, not usable until someone restores it`);
    }
    if (Date.now() + delayMs > deadline) {
      throw new TableSetupError(`table ${name} is still ${status}: gave up waiting for it to become ACTIVE`);
    }
    await sleep(delayMs);
    delayMs = Math.min(delayMs * 2, 5_000);
  }
}

async function timeToLive(client: DynamoDBClient, name: string): Promise<TimeToLiveDescription> {
  const { TimeToLiveDescription } = await client.send(new DescribeTimeToLiveCommand({ TableName: name }));
  return TimeToLiveDescription ?? {};
}

const isOn = (ttl: TimeToLiveDescription) =>
  ttl.TimeToLiveStatus === 'ENABLED' || ttl.TimeToLiveStatus === 'ENABLING';

async function enableTimeToLive(client: DynamoDBClient, name: string, attribute: string): Promise<void> {
  const current = await timeToLive(client, name);
  if (isOn(current) && current.AttributeName === attribute) return;
  if (isOn(current)) {
    throw new TableSetupError(
      `table ${name} has time to live on ${current.AttributeName}, tasktracker needs it on ${attribute}`,
    );
  }
  try {
    await client.send(
      new UpdateTimeToLiveCommand({
        TableName: name,
        TimeToLiveSpecification: { AttributeName: attribute, Enabled: true },
      }),
    );
  } catch (error) {
    // A concurrent ensureTables may have turned it on between our describe and our update.
    const now = await timeToLive(client, name).catch(() => ({}) as TimeToLiveDescription);
    if (isOn(now) && now.AttributeName === attribute) return;
    throw new TableSetupError(`could not enable time to live on table ${name}: ${messageOf(error)}`, {
      cause: error,
    });
  }
}

async function ensureTable(
  client: DynamoDBClient,
  definition: TableDefinition,
  name: string,
  deadline: number,
): Promise<void> {
  const table = await activeTable(client, definition, name, deadline);
  checkShape(table, definition, name);
  // Real DynamoDB refuses UpdateTimeToLive until the table is ACTIVE, hence after activeTable.
  if (definition.ttlAttribute) await enableTimeToLive(client, name, definition.ttlAttribute);
}

/**
 * Makes every table tasktracker uses ready: creates the missing ones (keys, indexes, on-demand
 * billing), waits until they are ACTIVE, turns on the idempotency table's time to live, and checks that
 * tables already there have the keys and indexes the queries need. Idempotent and safe to run from
 * several processes at once. Table names default as in createTaskTracker (stage dev).
 * Returns the names it ensured.
 */
export async function ensureTables(
  client: DynamoDBClient,
  tables: Partial<TableNames> = {},
  options: EnsureTablesOptions = {},
): Promise<TableNames> {
  const names: TableNames = { ...defaultTableNames(), ...tables };
  const deadline = Date.now() + (options.timeoutSeconds ?? 300) * 1_000;
  // allSettled: when this rejects, no table of the set is still being worked on.
  const outcomes = await Promise.allSettled(
    TABLE_DEFINITIONS.map((definition) => ensureTable(client, definition, names[definition.table], deadline)),
  );
  const failed = outcomes.find((outcome) => outcome.status === 'rejected');
  if (failed) throw failed.reason;
  return names;
}
