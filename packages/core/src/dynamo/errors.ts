import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import { TaskTrackerError } from '../errors.ts';

/** Reading the SDK's errors in one place, so services speak in domain terms. */

export interface CancellationReason {
  code: string;
  item: Record<string, unknown> | undefined;
}

const errorName = (error: unknown) =>
  typeof error === 'object' && error !== null && 'name' in error ? String(error.name) : '';

export function isConditionalCheckFailed(error: unknown): boolean {
  return errorName(error) === 'ConditionalCheckFailedException';
}

/** The item returned by ReturnValuesOnConditionCheckFailure=ALL_OLD on a single-item write. */
export function conditionFailedItem(error: unknown): Record<string, unknown> | undefined {
  if (!isConditionalCheckFailed(error)) return undefined;
  const item = (error as { Item?: Record<string, AttributeValue> }).Item;
  return item ? unmarshall(item) : undefined;
}

/** Reasons of a cancelled transaction, one per action in order; undefined for any other error. */
export function cancellationReasons(error: unknown): CancellationReason[] | undefined {
  if (errorName(error) !== 'TransactionCanceledException') return undefined;
  const reasons =
    (error as { CancellationReasons?: { Code?: string; Item?: Record<string, AttributeValue> }[] })
      .CancellationReasons ?? [];
  return reasons.map((reason) => ({
    code: reason.Code ?? 'None',
    item: reason.Item ? unmarshall(reason.Item) : undefined,
  }));
}

const RETRYABLE_NAMES = new Set([
  'TransactionInProgressException',
  'ProvisionedThroughputExceededException',
  'ThrottlingException',
  'RequestLimitExceeded',
  'InternalServerError',
  'ServiceUnavailable',
]);

/**
 * Worth another try: throttling, or a transaction that lost a race with another one touching the same
 * item (TransactionConflict) without any of its own conditions failing.
 */
export function isRetryableWriteError(error: unknown): boolean {
  if (RETRYABLE_NAMES.has(errorName(error))) return true;
  const reasons = cancellationReasons(error);
  if (!reasons) return false;
  const codes = new Set(reasons.map((reason) => reason.code));
  return !codes.has('ConditionalCheckFailed') && [...codes].some((code) => RETRYABLE_CODES.has(code));
}

const RETRYABLE_CODES = new Set(['TransactionConflict', 'ProvisionedThroughputExceeded', 'ThrottlingError']);

const UNREACHABLE = /ECONNREFUSED|ECONNRESET|ENOTFOUND|EHOSTUNREACH|ETIMEDOUT|EPIPE|socket hang up/;

/** The call never got an answer: DynamoDB is unreachable, or the connection broke mid-call. */
export function isConnectionError(error: unknown): boolean {
  const text = `${errorName(error)} ${(error as Error | undefined)?.message ?? ''} ${
    (error as { code?: string } | undefined)?.code ?? ''
  }`;
  return UNREACHABLE.test(text) || errorName(error) === 'TimeoutError';
}

/** Turns "cannot reach DynamoDB" into SERVICE_UNAVAILABLE; anything else passes through unchanged. */
export function asUnavailable(error: unknown): unknown {
  if (isConnectionError(error)) {
    return new TaskTrackerError('SERVICE_UNAVAILABLE', 'DynamoDB is unreachable', undefined, {
      cause: error,
    });
  }
  return error;
}
