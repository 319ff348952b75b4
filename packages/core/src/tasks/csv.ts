import type { Task } from './schema.ts';

/** Export columns, in order: every task field plus the category's name. Import reads the same names. */
export const TASK_COLUMNS = [
  'taskId',
  'title',
  'description',
  'completed',
  'priority',
  'categoryId',
  'categoryName',
  'dueDate',
  'createdAt',
  'updatedAt',
  'version',
  'userId',
] as const;
export type TaskColumn = (typeof TASK_COLUMNS)[number];

/**
 * RFC 4180 output: CRLF between records, and every field holding CR or LF quoted. csv-stringify only
 * quotes fields holding its own record delimiter (found by the round-trip property test: a lone "\n"
 * went out bare and split the row on reading).
 */
export const CSV_FORMAT = { record_delimiter: '\r\n', quoted_match: /[\r\n]/ } as const;

/** Characters that make a spreadsheet read a cell as a formula (OWASP's CSV injection list). */
const FORMULA_START = /^[=+\-@\t\r]/;
const QUOTE = "'";

/**
 * A cell that a spreadsheet would run as a formula gets a leading apostrophe, which spreadsheets show
 * as text. A cell already starting with an apostrophe gets one more, so that importing (which removes
 * exactly one) gives back the original string in every case.
 */
export function neutraliseCell(value: string): string {
  return FORMULA_START.test(value) || value.startsWith(QUOTE) ? `${QUOTE}${value}` : value;
}

export function restoreCell(value: string): string {
  return value.startsWith(QUOTE) ? value.slice(1) : value;
}

export type TaskRecord = Record<TaskColumn, string | number | boolean>;

/** A task as one export row; category names come from the caller's lookup (one read per export). */
export function toTaskRecord(task: Task, categoryName: string | undefined): TaskRecord {
  return {
    taskId: task.taskId,
    title: task.title,
    description: task.description ?? '',
    completed: task.completed,
    priority: task.priority,
    categoryId: task.categoryId ?? '',
    categoryName: categoryName ?? '',
    dueDate: task.dueDate ?? '',
    createdAt: task.createdAt,
    updatedAt: task.updatedAt,
    version: task.version,
    userId: task.userId,
  };
}

/** The record as a CSV row in column order, every text cell neutralised (JSON Lines is not a spreadsheet). */
export function toCsvRow(record: TaskRecord): (string | number | boolean)[] {
  return TASK_COLUMNS.map((column) => {
    const value = record[column];
    return typeof value === 'string' ? neutraliseCell(value) : value;
  });
}
