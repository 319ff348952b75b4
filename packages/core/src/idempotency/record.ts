import { IDEMPOTENCY_TTL_ATTRIBUTE } from '../dynamo/tables.ts';
import { TaskTrackerError } from '../errors.ts';
import type { Logger } from '../logger.ts';

/** An idempotency record as stored: one item per (user, key) in the idempotency table. */
export interface IdempotencyRecord {
  id: string;
  status: 'COMPLETED' | 'IN_PROGRESS';
  operation: string;
  fingerprint: string;
  result?: unknown;
  [IDEMPOTENCY_TTL_ATTRIBUTE]: number;
  /** Epoch ms after which an IN_PROGRESS record is considered abandoned (its process died). */
  inProgressUntil?: number;
  /** Unique per claim attempt (runOnce): tells our own claim from a concurrent duplicate's. */
  claimId?: string;
}

export const epochSeconds = (date: Date) => Math.floor(date.getTime() / 1000);

/**
 * The condition under which a new record may be written: none exists, or the one there has expired
 * (DynamoDB's TTL deletes late, so expiry is checked here rather than trusted to TTL).
 */
export const RECORD_ABSENT_CONDITION = `attribute_not_exists(id) OR ${IDEMPOTENCY_TTL_ATTRIBUTE} < :nowSeconds`;

/**
 * Decides what a request meets when a live record already holds its key: the stored result (a replay),
 * IDEMPOTENCY_KEY_REUSED (same key, different request) or IDEMPOTENCY_IN_PROGRESS.
 */
export function replayFromRecord(
  record: Record<string, unknown>,
  fingerprint: string,
  logger: Logger,
): { result: unknown } {
  const existing = record as unknown as IdempotencyRecord;
  if (existing.fingerprint !== fingerprint) {
    logger.debug({ recordId: existing.id, operation: existing.operation }, 'idempotency key reused');
    throw new TaskTrackerError(
      'IDEMPOTENCY_KEY_REUSED',
      `This idempotency key was already used for a different ${existing.operation} request`,
    );
  }
  if (existing.status !== 'COMPLETED') {
    logger.debug({ recordId: existing.id }, 'idempotency record in progress');
    throw new TaskTrackerError('IDEMPOTENCY_IN_PROGRESS');
  }
  logger.debug({ recordId: existing.id }, 'idempotency replay');
  return { result: existing.result };
}
