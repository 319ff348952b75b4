/**
 * Capacity units per operation, measured through the SDK: a middleware on a DynamoDB client (and every
 * document client built on it) asks each call for ReturnConsumedCapacity: INDEXES and adds up what
 * DynamoDB answers, reads and writes apart. No call site changes.
 *
 * DynamoDB Local reports standard reads and writes as AWS documents them (0.5 RCU per 4 KB read
 * eventually consistent, 1 strongly; 1 WCU per KB written, plus one write per index the item is in),
 * but not transactions: it answers 4 units per table and per index whatever the number of items
 * (checked with 1, 2 and 3 items of 1 KB: AWS charges 2, 4 and 6). For TransactWriteItems the meter
 * therefore applies AWS's rule to the request itself: 2 WCU per KB per item written, for the table and
 * for each index whose key attributes the item carries (an Update counts the table and the indexes whose
 * keys its expression names; a Delete the table and every index; a ConditionCheck the table). A failed
 * conditional write consumes capacity on AWS too, but no SDK call reports it: those are not counted.
 */
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { TABLE_DEFINITIONS, type TableNames } from '@tasktracker/core';

export interface Capacity {
  read: number;
  write: number;
  /** Command names, in the order they were sent. */
  calls: string[];
}

type AttributeValue = Record<string, unknown>;
interface ConsumedCapacity {
  CapacityUnits?: number;
}

const READS = new Set([
  'GetItemCommand',
  'QueryCommand',
  'ScanCommand',
  'BatchGetItemCommand',
  'TransactGetItemsCommand',
]);
const WITH_CAPACITY = new Set([
  ...READS,
  'PutItemCommand',
  'UpdateItemCommand',
  'DeleteItemCommand',
  'BatchWriteItemCommand',
  'TransactWriteItemsCommand',
]);

/** DynamoDB's item size: attribute names plus values (numbers approximated at their digits' length). */
function valueSize(value: AttributeValue): number {
  const [type, inner] = Object.entries(value)[0] ?? ['NULL', true];
  switch (type) {
    case 'S':
      return Buffer.byteLength(String(inner));
    case 'N':
      return Math.ceil(String(inner).replace(/^-|\.|^0+/g, '').length / 2) + 1;
    case 'B':
      return (inner as Uint8Array).length;
    case 'L':
      return 3 + (inner as AttributeValue[]).reduce((sum, element) => sum + 1 + valueSize(element), 0);
    case 'M':
      return 3 + itemSize(inner as Record<string, AttributeValue>);
    case 'SS':
    case 'NS':
      return (inner as string[]).reduce((sum, element) => sum + Buffer.byteLength(element), 0);
    default:
      return 1;
  }
}

export function itemSize(item: Record<string, AttributeValue>): number {
  return Object.entries(item).reduce(
    (sum, [name, value]) => sum + Buffer.byteLength(name) + valueSize(value),
    0,
  );
}

const kilobytes = (bytes: number) => Math.max(1, Math.ceil(bytes / 1024));

interface TransactAction {
  Put?: { TableName: string; Item: Record<string, AttributeValue> };
  Update?: {
    TableName: string;
    UpdateExpression?: string;
    ExpressionAttributeNames?: Record<string, string>;
  };
  Delete?: { TableName: string };
  ConditionCheck?: { TableName: string };
}

/** AWS's price of a transaction, from its (marshalled) request. */
export function transactionWriteUnits(
  actions: TransactAction[],
  indexesOf: (table: string) => string[][],
): number {
  let units = 0;
  for (const action of actions) {
    if (action.Put) {
      const { TableName, Item } = action.Put;
      const targets = 1 + indexesOf(TableName).filter((keys) => keys.every((key) => key in Item)).length;
      units += 2 * kilobytes(itemSize(Item)) * targets;
    } else if (action.Update) {
      const { TableName, UpdateExpression = '', ExpressionAttributeNames = {} } = action.Update;
      const named = new Set(
        [...UpdateExpression.matchAll(/#?[A-Za-z_]\w*/g)].map(
          ([token]) => ExpressionAttributeNames[token] ?? token,
        ),
      );
      units += 2 * (1 + indexesOf(TableName).filter((keys) => keys.some((key) => named.has(key))).length);
    } else if (action.Delete) {
      units += 2 * (1 + indexesOf(action.Delete.TableName).length);
    } else if (action.ConditionCheck) {
      units += 2;
    }
  }
  return units;
}

/** Meters `client`: take() returns what was consumed since the last take(). */
export function meterCapacity(client: DynamoDBClient, tables: TableNames): { take(): Capacity } {
  const indexes = new Map(
    TABLE_DEFINITIONS.map((definition) => [
      tables[definition.table],
      definition.indexes.map((index) => [index.partitionKey, index.sortKey]),
    ]),
  );
  const indexesOf = (table: string) => indexes.get(table) ?? [];
  let current: Capacity = { read: 0, write: 0, calls: [] };
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const command = context.commandName ?? '';
      const input = args.input as { ReturnConsumedCapacity?: string };
      if (WITH_CAPACITY.has(command)) input.ReturnConsumedCapacity = 'INDEXES';
      const result = await next(args);
      current.calls.push(command);
      if (command === 'TransactWriteItemsCommand') return result;
      const consumed = (result.output as { ConsumedCapacity?: ConsumedCapacity | ConsumedCapacity[] })
        .ConsumedCapacity;
      const units = [consumed ?? []].flat().reduce((sum, entry) => sum + (entry.CapacityUnits ?? 0), 0);
      if (READS.has(command)) current.read += units;
      else current.write += units;
      return result;
    },
    { step: 'initialize', name: 'benchCapacityMeter' },
  );
  // At the build step the input is marshalled (document clients included): AWS's rule reads item sizes there.
  client.middlewareStack.add(
    (next, context) => async (args) => {
      if (context.commandName === 'TransactWriteItemsCommand') {
        const { TransactItems = [] } = args.input as { TransactItems?: TransactAction[] };
        const result = await next(args);
        current.write += transactionWriteUnits(TransactItems, indexesOf);
        return result;
      }
      return next(args);
    },
    { step: 'build', name: 'benchTransactionCapacity' },
  );
  return {
    take() {
      const taken = current;
      current = { read: 0, write: 0, calls: [] };
      return taken;
    },
  };
}
