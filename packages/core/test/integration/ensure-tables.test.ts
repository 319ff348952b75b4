import { randomBytes } from 'node:crypto';
import {
  CreateTableCommand,
  DescribeTableCommand,
  DescribeTimeToLiveCommand,
  type DynamoDBClient,
  type TableDescription,
  type TimeToLiveDescription,
  UpdateTimeToLiveCommand,
} from '@aws-sdk/client-dynamodb';
import { deleteTables, localDynamoClient } from '@tasktracker/local';
import { afterAll, describe, expect, inject, it } from 'vitest';
import {
  defaultTableNames,
  ensureTables,
  IDEMPOTENCY_TTL_ATTRIBUTE,
  TASK_INDEXES,
  type TableNames,
  TableSetupError,
} from '../../src/index.ts';

const endpoint = inject('dynamoEndpoint');
const clients: DynamoDBClient[] = [];
const created: TableNames[] = [];

function client(): DynamoDBClient {
  const made = localDynamoClient(endpoint);
  clients.push(made);
  return made;
}

/** Names no other test uses; dropped after the file. */
function freshNames(): TableNames {
  const prefix = `e${randomBytes(4).toString('hex')}-`;
  const names = Object.fromEntries(
    Object.entries(defaultTableNames('test')).map(([role, name]) => [role, `${prefix}${name}`]),
  ) as unknown as TableNames;
  created.push(names);
  return names;
}

afterAll(async () => {
  if (!endpoint) return;
  const cleaner = localDynamoClient(endpoint);
  await Promise.all(created.map((names) => deleteTables(cleaner, names)));
  cleaner.destroy();
  for (const made of clients) made.destroy();
});

interface AwsLike {
  /** "Command table" for every call sent, in order. */
  calls: string[];
}

/**
 * DynamoDB Local makes tables ACTIVE at once; AWS does not. This makes the local engine answer as AWS
 * would: a new table stays CREATING for `creatingFor` DescribeTable calls, UpdateTimeToLive on a
 * CREATING table is refused (ResourceInUseException), and tables named in `deleting` look DELETING
 * for their first two DescribeTable calls.
 */
function answerLikeAws(target: DynamoDBClient, opts: { creatingFor: number; deleting?: string[] }): AwsLike {
  const calls: string[] = [];
  const creating = new Map<string, number>();
  const deleting = new Map((opts.deleting ?? []).map((name) => [name, 2]));
  target.middlewareStack.add(
    (next, context) => async (args) => {
      const command = String(context.commandName).replace(/Command$/, '');
      const table = String((args.input as { TableName?: string }).TableName);
      calls.push(`${command} ${table}`);
      if (command === 'UpdateTimeToLive' && creating.has(table)) {
        throw Object.assign(new Error('Attempt to change a resource which is still in use'), {
          name: 'ResourceInUseException',
        });
      }
      const left = deleting.get(table) ?? 0;
      if (command === 'DescribeTable' && left > 0) {
        deleting.set(table, left - 1);
        return {
          output: { $metadata: {}, Table: { TableName: table, TableStatus: 'DELETING' } },
          response: {},
        };
      }
      const result = await next(args);
      const output = result.output as { TableDescription?: TableDescription; Table?: TableDescription };
      if (command === 'CreateTable' && output.TableDescription) {
        creating.set(table, opts.creatingFor);
        output.TableDescription.TableStatus = 'CREATING';
      }
      const describesLeft = creating.get(table);
      if (command === 'DescribeTable' && output.Table && describesLeft !== undefined) {
        if (describesLeft > 0) {
          creating.set(table, describesLeft - 1);
          output.Table.TableStatus = 'CREATING';
        } else creating.delete(table);
      }
      return result;
    },
    { step: 'initialize', name: 'answerLikeAws' },
  );
  return { calls };
}

async function ttlOf(names: TableNames): Promise<TimeToLiveDescription | undefined> {
  const out = await client().send(new DescribeTimeToLiveCommand({ TableName: names.idempotency }));
  return out.TimeToLiveDescription;
}

async function indexesOf(names: TableNames): Promise<string[]> {
  const { Table } = await client().send(new DescribeTableCommand({ TableName: names.tasks }));
  return (Table?.GlobalSecondaryIndexes ?? []).map((index) => String(index.IndexName)).sort();
}

const ALL_INDEXES = Object.values(TASK_INDEXES)
  .map((index) => index.name)
  .sort();

describe.skipIf(!endpoint)('ensureTables', () => {
  it('waits for tables that AWS keeps CREATING, and enables TTL only once the table is ACTIVE', async () => {
    const names = freshNames();
    const aws = answerLikeAws(client(), { creatingFor: 2 });
    await expect(ensureTables(clients.at(-1) as DynamoDBClient, names)).resolves.toEqual(names);

    expect(await ttlOf(names)).toMatchObject({
      TimeToLiveStatus: 'ENABLED',
      AttributeName: IDEMPOTENCY_TTL_ATTRIBUTE,
    });
    expect(await indexesOf(names)).toEqual(ALL_INDEXES);
    const forIdempotency = aws.calls.filter((call) => call.endsWith(` ${names.idempotency}`));
    // Created, seen CREATING twice, then ACTIVE, and only then the TTL calls.
    expect(forIdempotency.slice(0, 5)).toEqual(
      ['DescribeTable', 'CreateTable', 'DescribeTable', 'DescribeTable', 'DescribeTable'].map(
        (command) => `${command} ${names.idempotency}`,
      ),
    );
    expect(forIdempotency.slice(5)).toContain(`UpdateTimeToLive ${names.idempotency}`);
  });

  it('waits for a table being deleted to go, then creates it anew', async () => {
    const names = freshNames();
    const aws = answerLikeAws(client(), { creatingFor: 0, deleting: [names.categories] });
    await ensureTables(clients.at(-1) as DynamoDBClient, names);
    expect(aws.calls.filter((call) => call.endsWith(` ${names.categories}`))).toEqual(
      ['DescribeTable', 'DescribeTable', 'DescribeTable', 'CreateTable', 'DescribeTable'].map(
        (command) => `${command} ${names.categories}`,
      ),
    );
    const { Table } = await client().send(new DescribeTableCommand({ TableName: names.categories }));
    expect(Table?.TableStatus).toBe('ACTIVE');
  });

  it('gives up with a one-line TableSetupError when a table never becomes ACTIVE', async () => {
    const names = freshNames();
    answerLikeAws(client(), { creatingFor: Number.POSITIVE_INFINITY });
    const attempt = ensureTables(clients.at(-1) as DynamoDBClient, names, { timeoutSeconds: 0.5 });
    await expect(attempt).rejects.toThrow(TableSetupError);
    await expect(attempt).rejects.toThrow(/^table \S+ is still CREATING: gave up waiting/);
  });

  it('is safe to run from several clients at once, and again later', async () => {
    const names = freshNames();
    const runs = await Promise.all([1, 2, 3, 4].map(() => ensureTables(client(), names)));
    expect(runs).toEqual([names, names, names, names]);
    await expect(ensureTables(client(), names)).resolves.toEqual(names);
    expect(await indexesOf(names)).toEqual(ALL_INDEXES);
    expect((await ttlOf(names))?.TimeToLiveStatus).toBe('ENABLED');
  });

  it('accepts TTL turned on by someone else between its look and its update', async () => {
    const names = freshNames();
    await ensureTables(client(), names);
    const late = client();
    const sent: string[] = [];
    // Our first look says DISABLED; the engine has TTL on already, so our update is refused.
    late.middlewareStack.add(
      (next, context) => async (args) => {
        const command = String(context.commandName).replace(/Command$/, '');
        sent.push(command);
        const result = await next(args);
        if (command === 'DescribeTimeToLive' && sent.filter((name) => name === command).length === 1) {
          (result.output as { TimeToLiveDescription?: TimeToLiveDescription }).TimeToLiveDescription = {
            TimeToLiveStatus: 'DISABLED',
          };
        }
        return result;
      },
      { step: 'initialize', name: 'staleLook' },
    );
    await expect(ensureTables(late, names)).resolves.toEqual(names);
    // Looked, tried (the engine refused: already enabled), looked again and saw it on.
    expect(sent.filter((command) => command.includes('TimeToLive'))).toEqual([
      'DescribeTimeToLive',
      'UpdateTimeToLive',
      'DescribeTimeToLive',
    ]);
  });

  it('refuses a table of the same name with another key or missing indexes', async () => {
    const names = freshNames();
    await client().send(
      new CreateTableCommand({
        TableName: names.tasks,
        BillingMode: 'PAY_PER_REQUEST',
        AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
        KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
      }),
    );
    const attempt = ensureTables(client(), names);
    await expect(attempt).rejects.toThrow(TableSetupError);
    await expect(attempt).rejects.toThrow(
      `table ${names.tasks} exists with another shape (key id instead of userId+taskId, no index byStatus,`,
    );
  });

  it('refuses time to live already on another attribute', async () => {
    const names = freshNames();
    await client().send(
      new CreateTableCommand({
        TableName: names.idempotency,
        BillingMode: 'PAY_PER_REQUEST',
        AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
        KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
      }),
    );
    await client().send(
      new UpdateTimeToLiveCommand({
        TableName: names.idempotency,
        TimeToLiveSpecification: { AttributeName: 'ttl', Enabled: true },
      }),
    );
    await expect(ensureTables(client(), names)).rejects.toThrow(
      `table ${names.idempotency} has time to live on ttl, tasktracker needs it on ${IDEMPOTENCY_TTL_ATTRIBUTE}`,
    );
  });
});
