/**
 * Pieces every DynamoDB benchmark shares: one engine with our tables, the raw BatchWriteItem loop the
 * service is measured against, a worker pool at a fixed concurrency, and a count of what each Query read.
 */
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { BatchWriteCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { createTaskTracker, defaultTableNames } from '@tasktracker/core';
import { ensureTables, localDynamoClient, startDynamoDbLocal } from '@tasktracker/local';

/** The same number of requests in flight on both sides of every comparison. */
export const CONCURRENCY = 4;

/** DynamoDB Local in memory with our tables, and the tracker bound to it. */
export async function startBenchEngine() {
  const engine = await startDynamoDbLocal({});
  const client = localDynamoClient(engine.endpoint);
  const tables = defaultTableNames('bench');
  await ensureTables(client, tables);
  const tracker = createTaskTracker({ client, tables });
  return { engine, client, tables, tracker };
}

/** Runs `work(0..count-1)` with at most `concurrency` calls in flight. */
export async function inPool(
  count: number,
  work: (index: number) => Promise<void>,
  concurrency = CONCURRENCY,
): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(concurrency, count) }, async () => {
      while (next < count) await work(next++);
    }),
  );
}

/** The hand-written baseline for writes: BatchWriteItem, 25 items a call, retrying what comes back. */
export async function rawBatchWrite(
  doc: DynamoDBDocumentClient,
  table: string,
  items: Record<string, unknown>[],
): Promise<void> {
  const chunks: Record<string, unknown>[][] = [];
  for (let i = 0; i < items.length; i += 25) chunks.push(items.slice(i, i + 25));
  await inPool(chunks.length, async (index) => {
    let pending = (chunks[index] ?? []).map((Item) => ({ PutRequest: { Item } }));
    while (pending.length > 0) {
      const out = await doc.send(new BatchWriteCommand({ RequestItems: { [table]: pending } }));
      pending = (out.UnprocessedItems?.[table] ?? []) as typeof pending;
    }
  });
}

export interface ReadCounter {
  /** Items DynamoDB read (ScannedCount) and returned (Count) since the last reset. */
  scanned: number;
  returned: number;
  queries: number;
  reset(): void;
}

/**
 * Adds up ScannedCount and Count of every Query sent through `client` (and any document client built
 * on it): items read per item returned is what a FilterExpression costs.
 */
export function countQueryReads(client: DynamoDBClient): ReadCounter {
  const counter: ReadCounter = {
    scanned: 0,
    returned: 0,
    queries: 0,
    reset() {
      counter.scanned = 0;
      counter.returned = 0;
      counter.queries = 0;
    },
  };
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const result = await next(args);
      if (context.commandName === 'QueryCommand') {
        const output = result.output as { ScannedCount?: number; Count?: number };
        counter.scanned += output.ScannedCount ?? 0;
        counter.returned += output.Count ?? 0;
        counter.queries++;
      }
      return result;
    },
    { step: 'initialize', name: 'benchQueryReads' },
  );
  return counter;
}
