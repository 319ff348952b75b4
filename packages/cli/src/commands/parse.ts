import {
  type Category,
  DueDateSchema,
  parseInput,
  type TaskTracker,
  TaskTrackerError,
} from '@tasktracker/core';

const localDate = (date: Date) =>
  `${date.getFullYear()}-${String(date.getMonth() + 1).padStart(2, '0')}-${String(date.getDate()).padStart(2, '0')}`;

/** today, tomorrow, +3d, +2w, or an ISO date/instant → the due date core stores. */
export function parseDue(value: string, now = new Date()): string {
  const word = value.trim().toLowerCase();
  const shift = (days: number) =>
    localDate(new Date(now.getFullYear(), now.getMonth(), now.getDate() + days));
  if (word === 'today') return shift(0);
  if (word === 'tomorrow') return shift(1);
  const relative = /^\+(\d{1,4})([dw])$/.exec(word);
  if (relative) return shift(Number(relative[1]) * (relative[2] === 'w' ? 7 : 1));
  try {
    return parseInput(DueDateSchema, value);
  } catch {
    throw new TaskTrackerError(
      'VALIDATION_ERROR',
      `due date "${value}" is not a date: use YYYY-MM-DD, an ISO instant, today, tomorrow or +3d`,
    );
  }
}

/** A category by name (case-insensitive), full id, or the end of its id, among the user's categories. */
export function findCategory(categories: Category[], reference: string): Category {
  const wanted = reference.trim();
  const byName = categories.find((category) => category.name.toLowerCase() === wanted.toLowerCase());
  if (byName) return byName;
  const upper = wanted.toUpperCase();
  const byId = categories.filter((category) => category.categoryId.endsWith(upper) && upper.length >= 4);
  if (byId.length === 1) return byId[0] as Category;
  if (byId.length > 1)
    throw new TaskTrackerError('VALIDATION_ERROR', `"${reference}" matches more than one category`);
  throw new TaskTrackerError('RESOURCE_NOT_FOUND', `No category named or with id "${reference}"`);
}

export async function resolveCategoryId(
  tracker: TaskTracker,
  userId: string,
  reference: string,
): Promise<string> {
  return findCategory(await tracker.categories.list(userId), reference).categoryId;
}

/** "none" (or "-") means no category. */
export const NO_CATEGORY = new Set(['none', '-', '']);
