/**
 * bench:data's cost per operation: read and write capacity units of each service operation (measured
 * with bench/lib/capacity-meter.ts on DynamoDB Local), against its floor: the items the operation must
 * touch at DynamoDB's prices (1 WCU per KB written, 0.5 RCU per 4 KB read eventually consistent,
 * transactions at 2x), with the items' sizes as stored. The idempotent create is also set against
 * Powertools' makeIdempotent around the same plain create (its three calls).
 */
import { CreateTableCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { createTrackerContext, type ImportRow } from '@tasktracker/core';
import { type Capacity, itemSize, meterCapacity } from './capacity-meter.ts';
import { rawBatchWrite, startBenchEngine } from './dynamo.ts';
import { ensurePeers, importPeer } from './peers.ts';
import type { Row } from './report.ts';
import { categoryIds, SEARCH_TERM, taskItems } from './task-data.ts';

const PAGE = 20;
const BULK = 100;
const IMPORT_ROWS = 100;
const EXPORT_ROWS = 1_000;

const readUnits = (bytes: number) => 0.5 * Math.ceil(bytes / 4096);
const writeUnits = (bytes: number) => Math.max(1, Math.ceil(bytes / 1024));
const marshalledSize = (item: Record<string, unknown>) => itemSize(marshal(item));

/** Just enough marshalling for item sizes (strings, numbers, booleans). */
function marshal(item: Record<string, unknown>): Record<string, Record<string, unknown>> {
  return Object.fromEntries(
    Object.entries(item)
      .filter(([, value]) => value !== undefined)
      .map(([name, value]) => [
        name,
        typeof value === 'number'
          ? { N: String(value) }
          : typeof value === 'boolean'
            ? { BOOL: value }
            : { S: String(value) },
      ]),
  );
}

interface Measured {
  name: string;
  ours: Capacity;
  floor: { read: number; write: number; why: string };
}

const fmt = (value: number) => (Number.isInteger(value) ? String(value) : value.toFixed(1));
const units = (capacity: { read: number; write: number }) =>
  `${fmt(capacity.write)} WCU + ${fmt(capacity.read)} RCU`;

export async function benchCapacity(): Promise<{ rows: Row[]; details: Record<string, unknown> }> {
  const { engine, client, tables, tracker } = await startBenchEngine();
  const meter = meterCapacity(client, tables);
  const measured: Measured[] = [];
  const measure = async (name: string, floor: Measured['floor'], work: () => Promise<unknown>) => {
    meter.take();
    await work();
    measured.push({ name, ours: meter.take(), floor });
  };
  try {
    const userId = 'capacity-user';
    const input = {
      title: 'What does one task cost?',
      description: 'created for the capacity benchmark',
      priority: 'high' as const,
    };
    const category = await tracker.categories.create(userId, { name: 'Capacity' });
    const sample = await tracker.tasks.create(userId, input);
    const taskBytes = marshalledSize(sample.result as unknown as Record<string, unknown>);
    const task = writeUnits(taskBytes);

    await measure('create', { read: 0, write: task, why: '1 item' }, () =>
      tracker.tasks.create(userId, input),
    );
    await measure(
      'create, idempotent',
      { read: 0, write: 2 * (task + 1), why: 'task + record, one transaction' },
      () => tracker.tasks.create(userId, input, { idempotencyKey: 'capacity-key-1' }),
    );
    await measure(
      'create in a category',
      { read: 0, write: 2 * (task + 1), why: 'task + category count, one transaction' },
      () => tracker.tasks.create(userId, { ...input, categoryId: category.result.categoryId }),
    );
    const target = (await tracker.tasks.create(userId, input)).result;
    await measure('update (title)', { read: 0, write: task, why: '1 conditional write' }, () =>
      tracker.tasks.update(userId, target.taskId, { title: 'A new title' }),
    );
    await measure('get', { read: readUnits(taskBytes), write: 0, why: '1 item, eventually consistent' }, () =>
      tracker.tasks.get(userId, target.taskId),
    );
    await measure('delete', { read: 0, write: task, why: '1 conditional delete' }, () =>
      tracker.tasks.delete(userId, target.taskId),
    );

    // A user with 1,000 tasks of the data-path benchmark's shape: lists, bulk and export read them.
    const listUser = 'capacity-list-user';
    const items = taskItems(listUser, EXPORT_ROWS, categoryIds());
    await rawBatchWrite(tracker.context.doc, tables.tasks, items);
    const averageBytes = items.reduce((sum, item) => sum + marshalledSize(item), 0) / items.length;
    await measure(
      `list page of ${PAGE} (status open)`,
      { read: readUnits(PAGE * averageBytes), write: 0, why: `${PAGE} items` },
      () => tracker.tasks.list(listUser, { status: 'open', limit: PAGE }),
    );
    // The floor of an unindexed filter: what a hand-written Query loop reads until it has a page.
    meter.take();
    let found = 0;
    let startKey: Record<string, unknown> | undefined;
    do {
      const page = await tracker.context.doc.send(
        new QueryCommand({
          TableName: tables.tasks,
          KeyConditionExpression: 'userId = :u',
          FilterExpression: 'contains(searchText, :q)',
          ExpressionAttributeValues: { ':u': listUser, ':q': SEARCH_TERM },
          ScanIndexForward: false,
          Limit: 100,
          ExclusiveStartKey: startKey,
        }),
      );
      found += page.Count ?? 0;
      startKey = page.LastEvaluatedKey;
    } while (found < PAGE && startKey);
    const rawQ = meter.take();
    await measure(
      `list page of ${PAGE} (q "${SEARCH_TERM}")`,
      { read: rawQ.read, write: 0, why: 'a raw Query loop to 20 matches' },
      () => tracker.tasks.list(listUser, { q: SEARCH_TERM, limit: PAGE }),
    );
    const bulkIds = items.slice(0, BULK).map((item) => item.taskId);
    await measure(
      `bulk complete of ${BULK}`,
      { read: 0, write: BULK * writeUnits(averageBytes), why: `${BULK} conditional writes` },
      () => tracker.tasks.setCompleted(listUser, bulkIds, true),
    );
    const rows: ImportRow[] = Array.from({ length: IMPORT_ROWS }, (_, i) => ({
      line: i + 2,
      input: { title: `Imported task ${i}`, description: 'from a CSV file', priority: 'low' },
    }));
    await measure(
      `import of ${IMPORT_ROWS} rows`,
      { read: 0, write: IMPORT_ROWS * task, why: `${IMPORT_ROWS} new items` },
      () => tracker.tasks.import('capacity-import-user', rows, { source: 'bench/capacity.csv' }),
    );
    await measure(
      `export of ${EXPORT_ROWS}`,
      { read: readUnits(EXPORT_ROWS * averageBytes), write: 0, why: `${EXPORT_ROWS} items` },
      async () => {
        for await (const _chunk of tracker.tasks.export(listUser)) {
          // Read to the end: the export's cost is its queries.
        }
      },
    );

    const powertools = await powertoolsCreate(engine.endpoint, tables, input);
    const rowsOut: Row[] = measured.map(({ name, ours, floor }) => {
      const oursTotal = ours.write + ours.read;
      const floorTotal = floor.write + floor.read;
      return {
        benchmark: `capacity: ${name} (WCU + RCU; calls)`,
        ours: `${units(ours)}; ${ours.calls.length} call${ours.calls.length === 1 ? '' : 's'}`,
        baseline: `${units(floor)} floor (${floor.why})`,
        ratio: oursTotal / floorTotal,
        goal: 'info (why above: README)',
        pass: true,
      };
    });
    const idempotent = measured.find((entry) => entry.name === 'create, idempotent');
    if (idempotent) {
      rowsOut.push({
        benchmark: 'capacity: idempotent create vs Powertools (WCU + RCU; calls)',
        ours: `${units(idempotent.ours)}; ${idempotent.ours.calls.length} call`,
        baseline: `${units(powertools)}; ${powertools.calls.length} calls Powertools`,
        ratio: (idempotent.ours.write + idempotent.ours.read) / (powertools.write + powertools.read),
        goal: 'info',
        pass: true,
      });
    }
    return {
      rows: rowsOut,
      details: {
        taskBytes,
        listItemBytes: Math.round(averageBytes),
        operations: measured,
        powertools,
        note: 'TransactWriteItems priced by AWS rule from the request (DynamoDB Local misreports it); see bench/lib/capacity-meter.ts',
      },
    };
  } finally {
    await engine.stop();
  }
}

/** Powertools' makeIdempotent around the plain create, on its own client (its SDK copy), metered the same way. */
async function powertoolsCreate(
  endpoint: string,
  tables: Parameters<typeof meterCapacity>[1],
  input: { title: string; description: string; priority: 'high' },
): Promise<Capacity> {
  ensurePeers();
  process.env.AWS_LAMBDA_FUNCTION_NAME ??= 'bench-capacity';
  const { DynamoDBClient: PeerClient } = await importPeer<{
    DynamoDBClient: new (config: object) => DynamoDBClient;
  }>('@aws-sdk/client-dynamodb');
  const { makeIdempotent, IdempotencyConfig } = await importPeer<{
    makeIdempotent: <F extends (...args: never[]) => unknown>(fn: F, options: object) => F;
    IdempotencyConfig: new (options: object) => { registerLambdaContext(context: object): void };
  }>('@aws-lambda-powertools/idempotency');
  const { DynamoDBPersistenceLayer } = await importPeer<{
    DynamoDBPersistenceLayer: new (options: object) => object;
  }>('@aws-lambda-powertools/idempotency/dynamodb');
  const client = new PeerClient({
    endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  const table = 'bench-capacity-powertools';
  await client.send(
    new CreateTableCommand({
      TableName: table,
      AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
      KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
      BillingMode: 'PAY_PER_REQUEST',
    }),
  );
  const meter = meterCapacity(client, tables);
  const context = createTrackerContext({ client, tables });
  const config = new IdempotencyConfig({ eventKeyJmesPath: '[userId, idempotencyKey]' });
  config.registerLambdaContext({ getRemainingTimeInMillis: () => 29_000 });
  const { createTask } = await import('@tasktracker/core');
  const create = makeIdempotent(
    async (request: { userId: string; idempotencyKey: string }) =>
      (await createTask(context, request.userId, input)).result,
    { persistenceStore: new DynamoDBPersistenceLayer({ tableName: table, awsSdkV3Client: client }), config },
  );
  await create({ userId: 'capacity-powertools', idempotencyKey: 'warm-up' });
  meter.take();
  await create({ userId: 'capacity-powertools', idempotencyKey: 'measured' });
  const taken = meter.take();
  client.destroy();
  return taken;
}
