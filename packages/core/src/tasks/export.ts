import { Readable } from 'node:stream';
import { stringify } from 'csv-stringify';
import { listCategories } from '../categories/service.ts';
import type { TrackerContext } from '../context.ts';
import { CSV_FORMAT, TASK_COLUMNS, toCsvRecord, toTaskRecord } from './csv.ts';
import { iterateTasks } from './list.ts';
import type { TaskFilter } from './schema.ts';

export type ExportFormat = 'csv' | 'jsonl';

export interface ExportOptions {
  format?: ExportFormat;
  /** Called after every task written, with the running count (progress bars, metrics). */
  onRow?: (rows: number) => void;
}

/**
 * A user's tasks as CSV (RFC 4180, header row, CRLF) or JSON Lines, produced page by page as the
 * consumer reads: nothing is held but the current page, so memory does not grow with the row count.
 */
export function exportTasks(
  ctx: TrackerContext,
  userId: string,
  filter: Partial<TaskFilter> = {},
  options: ExportOptions = {},
): Readable {
  const format = options.format ?? 'csv';
  let rows = 0;
  async function* records() {
    const names = new Map(
      (await listCategories(ctx, userId)).map((category) => [category.categoryId, category.name]),
    );
    for await (const task of iterateTasks(ctx, userId, filter)) {
      const record = toTaskRecord(task, task.categoryId ? names.get(task.categoryId) : undefined);
      rows++;
      options.onRow?.(rows);
      yield format === 'csv' ? toCsvRecord(record) : `${JSON.stringify(record)}\n`;
    }
  }
  const source = Readable.from(records(), { objectMode: true, highWaterMark: 64 });
  if (format === 'jsonl') return source;
  const csv = stringify({
    header: true,
    columns: [...TASK_COLUMNS],
    ...CSV_FORMAT,
    cast: { boolean: String },
  });
  source.on('error', (error) => csv.destroy(error));
  return source.pipe(csv);
}
