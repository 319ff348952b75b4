import { randomUUID } from 'node:crypto';
import { DeleteCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { TrackerContext } from '../context.ts';
import { asUnavailable, conditionFailedItem, isConditionalCheckFailed } from '../dynamo/errors.ts';
import { idempotencyRecordId } from '../dynamo/keys.ts';
import { IDEMPOTENCY_TTL_ATTRIBUTE } from '../dynamo/tables.ts';
import { requestFingerprint, validateIdempotencyKey } from './key.ts';
import { epochSeconds, type IdempotencyRecord, RECORD_ABSENT_CONDITION, replayFromRecord } from './record.ts';
import type { IdempotencyRequest, Outcome } from './transactional.ts';

export interface RunOnceOptions {
  /** How long a started run holds its key before another caller may take over (its process died). */
  inProgressTimeoutMs?: number;
}

/**
 * Idempotency for work with effects outside DynamoDB (an S3 write, an email): an IN_PROGRESS record
 * claims the key, the work runs, the record becomes COMPLETED with the result. A duplicate meanwhile gets
 * IDEMPOTENCY_IN_PROGRESS; after completion, the stored result. A failed run releases its key.
 */
export async function runOnce<T>(
  ctx: TrackerContext,
  request: IdempotencyRequest,
  work: () => Promise<T>,
  options: RunOnceOptions = {},
): Promise<Outcome<T>> {
  const now = ctx.now();
  const id = idempotencyRecordId(request.userId, validateIdempotencyKey(request.key));
  const fingerprint = requestFingerprint(request.operation, request.payload);
  const claim: IdempotencyRecord = {
    id,
    status: 'IN_PROGRESS',
    operation: request.operation,
    fingerprint,
    [IDEMPOTENCY_TTL_ATTRIBUTE]: epochSeconds(now) + ctx.idempotencyTtlSeconds,
    inProgressUntil: now.getTime() + (options.inProgressTimeoutMs ?? 60_000),
    claimId: randomUUID(),
  };
  try {
    await ctx.doc.send(
      new PutCommand({
        TableName: ctx.tables.idempotency,
        Item: claim,
        // An abandoned IN_PROGRESS record (its process died) may be taken over once it times out.
        ConditionExpression: `${RECORD_ABSENT_CONDITION} OR (#status = :inProgress AND inProgressUntil < :nowMs)`,
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: {
          ':nowSeconds': epochSeconds(now),
          ':nowMs': now.getTime(),
          ':inProgress': 'IN_PROGRESS',
        },
        ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
      }),
    );
  } catch (error) {
    const existing = conditionFailedItem(error);
    if (!existing) throw asUnavailable(error);
    // Our own claim (its claimId): the SDK retried a Put whose answer was lost after it landed, so the
    // key is ours. Concurrent duplicates sent in the same millisecond differ only by their claimId.
    if (existing.claimId !== claim.claimId) {
      return { result: replayFromRecord(existing, fingerprint, ctx.logger).result as T, replayed: true };
    }
  }
  ctx.logger.debug({ operation: request.operation }, 'idempotency key claimed');

  let result: T;
  try {
    result = await work();
  } catch (error) {
    await releaseClaim(ctx, id).catch((releaseError: unknown) =>
      ctx.logger.warn({ err: releaseError }, 'could not release idempotency key; it frees itself on timeout'),
    );
    throw error;
  }
  await ctx.doc.send(
    new UpdateCommand({
      TableName: ctx.tables.idempotency,
      Key: { id },
      UpdateExpression: 'SET #status = :completed, #result = :result REMOVE inProgressUntil, claimId',
      ConditionExpression: 'fingerprint = :fingerprint',
      ExpressionAttributeNames: { '#status': 'status', '#result': 'result' },
      ExpressionAttributeValues: {
        ':completed': 'COMPLETED',
        ':result': result,
        ':fingerprint': fingerprint,
      },
    }),
  );
  ctx.logger.debug({ operation: request.operation }, 'idempotency record completed');
  return { result, replayed: false };
}

async function releaseClaim(ctx: TrackerContext, id: string): Promise<void> {
  try {
    await ctx.doc.send(
      new DeleteCommand({
        TableName: ctx.tables.idempotency,
        Key: { id },
        ConditionExpression: '#status = :inProgress',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: { ':inProgress': 'IN_PROGRESS' },
      }),
    );
  } catch (error) {
    if (!isConditionalCheckFailed(error)) throw error;
  }
}
