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
  const send: () => Promise<unknown> = only?.Put
    ? () => ctx.doc.send(new PutCommand({ ...only.Put!, ReturnValuesOnConditionCheckFailure: 'ALL_OLD' }))
    : only?.Delete
      ? () =>
          ctx.doc.send(new DeleteCommand({ ...only.Delete!, ReturnValuesOnConditionCheckFailure: 'ALL_OLD' }))
      : () => ctx.doc.send(new TransactWriteCommand({ TransactItems: actions }));
  try {
    await retryWithBackoff(send, {
      isRetryable: isRetryableWriteError,
      onRetry: (error, attempt, delayMs) =>
        ctx.logger.debug({ err: error, attempt, delayMs: Math.round(delayMs) }, 'dynamodb write retried'),
    });
  } catch (error) {
    if (single && isConditionalCheckFailed(error)) {
      throw new WriteCancelled([{ code: 'ConditionalCheckFailed', item: conditionFailedItem(error) }]);
    }
    const reasons = cancellationReasons(error);
    if (reasons) throw new WriteCancelled(reasons);
    throw asUnavailable(error);
  }
}
