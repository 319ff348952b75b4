import { Readable } from 'node:stream';
import { stringify } from 'csv-stringify/sync';
import { listCategories } from '../categories/service.ts';
import type { TrackerContext } from '../context.ts';
import { CSV_FORMAT, TASK_COLUMNS, toCsvRow, toTaskRecord } from './csv.ts';
import type { TaskFilter } from './filter.ts';
import { iterateTaskPages } from './list.ts';

export type ExportFormat = 'csv' | 'jsonl';

export interface ExportOptions {
  format?: ExportFormat;
  /** Called as rows are written, with the running count (progress bars, metrics). */
  onRow?: (rows: number) => void;
}

const CSV_OPTIONS = { ...CSV_FORMAT, cast: { boolean: String } };

/**
 * A user's tasks as CSV (RFC 4180, header row, CRLF) or JSON Lines, produced a page at a time as the
 * consumer reads: nothing is held but the current page (and the next one, in flight), so memory does
 * not grow with the row count. Each page becomes one chunk of text: per-row stream overhead would
 * cost more than the formatting itself.
 */
export function exportTasks(
  ctx: TrackerContext,
  userId: string,
  filter: Partial<TaskFilter> = {},
  options: ExportOptions = {},
): Readable {
  return Readable.from(exportTaskChunks(ctx, userId, filter, options), { objectMode: false });
}

/**
 * The same text as strings, one page each, for a consumer that copies them where they go (a multipart
 * upload's part buffer): no Buffer is made per page, so none waits for the collector outside V8's heap.
 */
export async function* exportTaskChunks(
  ctx: TrackerContext,
  userId: string,
  filter: Partial<TaskFilter> = {},
  options: ExportOptions = {},
): AsyncGenerator<string> {
  const format = options.format ?? 'csv';
  const names = new Map(
    (await listCategories(ctx, userId)).map((category) => [category.categoryId, category.name]),
  );
  let rows = 0;
  if (format === 'csv') yield stringify([[...TASK_COLUMNS]], CSV_OPTIONS);
  for await (const page of iterateTaskPages(ctx, userId, filter)) {
    const records = page.map((task) =>
      toTaskRecord(task, task.categoryId ? names.get(task.categoryId) : undefined),
    );
    yield format === 'csv'
      ? stringify(records.map(toCsvRow), CSV_OPTIONS)
      : records.map((record) => `${JSON.stringify(record)}\n`).join('');
    rows += page.length;
    options.onRow?.(rows);
  }
}
