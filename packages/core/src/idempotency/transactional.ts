import type { TrackerContext } from '../context.ts';
import type { CancellationReason } from '../dynamo/errors.ts';
import { idempotencyRecordId } from '../dynamo/keys.ts';
import { IDEMPOTENCY_TTL_ATTRIBUTE } from '../dynamo/tables.ts';
import { type WriteAction, WriteCancelled, writeAtomically } from '../dynamo/write.ts';
import { requestFingerprint, validateIdempotencyKey } from './key.ts';
import { epochSeconds, type IdempotencyRecord, RECORD_ABSENT_CONDITION, replayFromRecord } from './record.ts';

export interface IdempotencyRequest {
  userId: string;
  key: string;
  operation: string;
  /** The validated request; its fingerprint tells a replay from a reused key. */
  payload: unknown;
}

export interface Outcome<T> {
  result: T;
  /** True when the result is the stored one of an earlier request with the same key. */
  replayed: boolean;
}

/** The Put of a completed record, to ride in the same transaction as the effect it records. */
export function completedRecordAction(ctx: TrackerContext, request: IdempotencyRequest, result: unknown) {
  const now = ctx.now();
  const record: IdempotencyRecord = {
    id: idempotencyRecordId(request.userId, validateIdempotencyKey(request.key)),
    status: 'COMPLETED',
    operation: request.operation,
    fingerprint: requestFingerprint(request.operation, request.payload),
    result,
    [IDEMPOTENCY_TTL_ATTRIBUTE]: epochSeconds(now) + ctx.idempotencyTtlSeconds,
  };
  return {
    Put: {
      TableName: ctx.tables.idempotency,
      Item: record,
      ConditionExpression: RECORD_ABSENT_CONDITION,
      ExpressionAttributeValues: { ':nowSeconds': epochSeconds(now) },
      ReturnValuesOnConditionCheckFailure: 'ALL_OLD' as const,
    },
  } satisfies WriteAction;
}

/**
 * Writes an effect that lives wholly in DynamoDB together with its idempotency record, in ONE
 * TransactWriteItems: either both are written or neither, so a crash at any point can never leave the
 * effect without its record (the gap that three-step idempotency libraries have). A first request costs
 * one call; a duplicate costs one call too, because the cancelled transaction returns the stored record.
 *
 * `onCancelled` maps the effect's own failed conditions (e.g. a missing category) to a domain error.
 */
export async function writeIdempotently<T>(
  ctx: TrackerContext,
  request: IdempotencyRequest | undefined,
  effect: { actions: WriteAction[]; result: T },
  onCancelled: (reasons: CancellationReason[]) => never,
): Promise<Outcome<T>> {
  const actions = request
    ? [...effect.actions, completedRecordAction(ctx, request, effect.result)]
    : effect.actions;
  try {
    await writeAtomically(ctx, actions);
    if (request) ctx.logger.debug({ operation: request.operation }, 'idempotency record written with effect');
    return { result: effect.result, replayed: false };
  } catch (error) {
    if (!(error instanceof WriteCancelled)) throw error;
    const recordReason = request ? error.reasons[actions.length - 1] : undefined;
    if (request && recordReason?.code === 'ConditionalCheckFailed' && recordReason.item) {
      const fingerprint = requestFingerprint(request.operation, request.payload);
      const { result } = replayFromRecord(recordReason.item, fingerprint, ctx.logger);
      return { result: result as T, replayed: true };
    }
    return onCancelled(error.reasons.slice(0, effect.actions.length));
  }
}
