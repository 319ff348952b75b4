import { encodeTime } from 'ulid';
import type { Priority } from '../tasks/fields.ts';

/** How every key and index attribute is built. Nothing else in the code concatenates key strings. */

export function taskKey(userId: string, taskId: string) {
  return { userId, taskId };
}

export function categoryKey(userId: string, categoryId: string) {
  return { userId, categoryId };
}

export function statusIndexKey(userId: string, completed: boolean): string {
  return `${userId}#${completed ? 'completed' : 'open'}`;
}

export function categoryIndexKey(userId: string, categoryId: string): string {
  return `${userId}#${categoryId}`;
}

/** '~' sorts after every digit, so tasks without a due date come after dated ones in ascending order. */
export const NO_DUE_DATE = '~';

export function dueIndexKey(dueDate: string | undefined, taskId: string): string {
  return `${dueDate ?? NO_DUE_DATE}#${taskId}`;
}

/** Ascending rank order is low → high, so "priority descending" (the default) lists high first. */
export const PRIORITY_RANK: Record<Priority, string> = { low: '1', medium: '2', high: '3' };

export function priorityIndexKey(priority: Priority, taskId: string): string {
  return `${PRIORITY_RANK[priority]}#${taskId}`;
}

/**
 * Category names are unique per user, case-insensitively: a guard item per lower-cased name lives in the
 * categories table beside the categories. '~' sorts after every ULID, so a range on the sort key
 * (below CATEGORY_GUARD_PREFIX) lists categories without the guards.
 */
export const CATEGORY_GUARD_PREFIX = '~name#';

export function categoryNameGuardKey(userId: string, name: string) {
  return { userId, categoryId: `${CATEGORY_GUARD_PREFIX}${name.toLocaleLowerCase('en-US')}` };
}

/** Bounds of the ULIDs minted in [from, to]: a created-date range is a range on the task id. */
export function ulidLowerBound(from: Date): string {
  return `${encodeTime(from.getTime(), 10)}${'0'.repeat(16)}`;
}

export function ulidUpperBound(to: Date): string {
  return `${encodeTime(to.getTime(), 10)}${'Z'.repeat(16)}`;
}

export function idempotencyRecordId(userId: string, key: string): string {
  return `${userId}#${key}`;
}

/** An export job's record in the idempotency table; '#' never appears in a user id or an idempotency key. */
export function exportJobRecordId(userId: string, exportId: string): string {
  return `${userId}#export#${exportId}`;
}
