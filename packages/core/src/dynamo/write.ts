import { randomUUID } from 'node:crypto';
import { isDeepStrictEqual } from 'node:util';
import {
  DeleteCommand,
  PutCommand,
  TransactWriteCommand,
  type TransactWriteCommandInput,
} from '@aws-sdk/lib-dynamodb';
import type { TrackerContext } from '../context.ts';
import {
  asUnavailable,
  type CancellationReason,
  cancellationReasons,
  conditionFailedItem,
  isConditionalCheckFailed,
  isConnectionError,
  isRetryableWriteError,
} from './errors.ts';
import { retryWithBackoff } from './retry.ts';

export type WriteAction = NonNullable<TransactWriteCommandInput['TransactItems']>[number];

/** DynamoDB's limit of actions in one TransactWriteItems. */
export const MAX_TRANSACTION_ACTIONS = 100;

/** A write whose conditions failed: one reason per action, in the order the actions were given. */
export class WriteCancelled extends Error {
  override readonly name = 'WriteCancelled';
  constructor(readonly reasons: CancellationReason[]) {
    super(`write cancelled: ${reasons.map((reason) => reason.code).join(',')}`);
  }
}

/**
 * Writes the actions atomically: one Put or Delete goes as a plain PutItem or DeleteItem (half the cost of a transaction on
 * AWS), more go as one TransactWriteItems. Races and throttling are retried with backoff; failed
 * conditions come back as WriteCancelled, whatever the shape of the call.
 */
export async function writeAtomically(ctx: TrackerContext, actions: WriteAction[]): Promise<void> {
  const only = actions.length === 1 ? actions[0] : undefined;
  const single = only?.Put ?? only?.Delete;
  let retried = false;
  // One token for every attempt, ours and the SDK's: an attempt that DynamoDB applied but whose answer
  // we lost (a 500, a dropped connection) makes the next one a no-op instead of a failed condition.
  const ClientRequestToken = randomUUID();
  const send: () => Promise<unknown> = only?.Put
    ? () => ctx.doc.send(new PutCommand({ ...only.Put!, ReturnValuesOnConditionCheckFailure: 'ALL_OLD' }))
    : only?.Delete
      ? () =>
          ctx.doc.send(new DeleteCommand({ ...only.Delete!, ReturnValuesOnConditionCheckFailure: 'ALL_OLD' }))
      : () => ctx.doc.send(new TransactWriteCommand({ TransactItems: actions, ClientRequestToken }));
  try {
    await retryWithBackoff(send, {
      // A broken connection too, once the SDK's attempts are spent: the token and landedEarlier make
      // a retry of a write that did land harmless, and "unavailable" would leave the caller guessing.
      isRetryable: (error) => isRetryableWriteError(error) || isConnectionError(error),
      onRetry: (error, attempt, delayMs) => {
        retried = true;
        ctx.logger.debug({ err: error, attempt, delayMs: Math.round(delayMs) }, 'dynamodb write retried');
      },
    });
  } catch (error) {
    if (single && isConditionalCheckFailed(error)) {
      if (only && landedEarlier(only, error, retried)) return;
      throw new WriteCancelled([{ code: 'ConditionalCheckFailed', item: conditionFailedItem(error) }]);
    }
    const reasons = cancellationReasons(error);
    if (reasons) throw new WriteCancelled(reasons);
    throw asUnavailable(error);
  }
}

/**
 * A TransactWriteItems retried by the SDK carries the same ClientRequestToken, so DynamoDB applies it
 * once. A PutItem or DeleteItem has no token: if the connection dropped after DynamoDB applied it, the
 * retry fails its own condition, and the caller would hear "conflict" or "not found" about a write that
 * happened (found by the fault-injection suite in reliability/). So after more than one attempt, a
 * failed condition that finds exactly the item we put, or no item where we deleted, is our own write.
 */
function landedEarlier(action: WriteAction, error: unknown, retried: boolean): boolean {
  const sdkAttempts = (error as { $metadata?: { attempts?: number } }).$metadata?.attempts ?? 1;
  if (!retried && sdkAttempts < 2) return false;
  const current = conditionFailedItem(error);
  if (action.Delete) return current === undefined;
  // The JSON round trip drops undefined attributes, as the document client does when it writes.
  return current !== undefined && isDeepStrictEqual(current, JSON.parse(JSON.stringify(action.Put?.Item)));
}
