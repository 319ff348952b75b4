import { BatchWriteCommand } from '@aws-sdk/lib-dynamodb';
import type { TrackerContext } from '../context.ts';
import { asUnavailable, isConnectionError, isRetryableWriteError } from './errors.ts';
import { retryWithBackoff } from './retry.ts';

/** DynamoDB's limit of items in one BatchWriteItem. */
export const BATCH_WRITE_LIMIT = 25;

class Unprocessed extends Error {}

/**
 * Puts up to 25 items, retrying what DynamoDB hands back as UnprocessedItems (throttling) with
 * backoff until every item is written: nothing is dropped silently. Unconditional puts of the same
 * items, so a retry after a lost answer writes nothing twice.
 */
export async function batchPut(
  ctx: TrackerContext,
  table: string,
  items: Record<string, unknown>[],
): Promise<void> {
  let pending = items.map((Item) => ({ PutRequest: { Item } }));
  await retryWithBackoff(
    async () => {
      const output = await ctx.doc.send(new BatchWriteCommand({ RequestItems: { [table]: pending } }));
      pending = (output.UnprocessedItems?.[table] ?? []) as typeof pending;
      if (pending.length > 0) throw new Unprocessed(`${pending.length} unprocessed items`);
    },
    {
      // Throttling and broken connections too, once the SDK's attempts are spent: putting the same
      // items again is harmless, while a batch reported failed after it landed invites a duplicate.
      isRetryable: (error) =>
        error instanceof Unprocessed || isRetryableWriteError(error) || isConnectionError(error),
      attempts: 12,
    },
  ).catch((error: unknown) => {
    throw asUnavailable(error);
  });
}
