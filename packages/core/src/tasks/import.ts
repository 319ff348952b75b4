import type { Readable } from 'node:stream';
import { parse } from 'csv-parse';
import { createCategory, listCategories } from '../categories/service.ts';
import type { TrackerContext } from '../context.ts';
import { isTaskTrackerError } from '../errors.ts';
import { UserIdSchema } from '../ids.ts';
import { parseInput } from '../validation.ts';
import { createTasks, type NewTaskRequest } from './bulk-create.ts';
import { restoreCell, TASK_COLUMNS } from './csv.ts';
import { type CreateTaskInput, CreateTaskInputSchema } from './schema.ts';

export type ImportFormat = 'csv' | 'jsonl';

/** One row of an import file: its line number, and what it asks for (or why it cannot be read). */
export interface ImportRow {
  line: number;
  fields?: Record<string, unknown>;
  error?: string;
}

export interface ImportReport {
  imported: number;
  duplicates: number;
  rejected: { line: number; reason: string }[];
  /** Rows read so far; with `signal` aborted midway, where a re-run would pick up (it skips duplicates). */
  rowsRead: number;
  aborted: boolean;
}

export function importFormatOf(fileName: string): ImportFormat | undefined {
  if (/\.csv$/i.test(fileName)) return 'csv';
  if (/\.(jsonl|ndjson)$/i.test(fileName)) return 'jsonl';
  return undefined;
}

/** Reads rows one at a time, CSV (with the export's header) or JSON Lines; a bad line is a row with an error. */
export async function* readImportRows(source: Readable, format: ImportFormat): AsyncGenerator<ImportRow> {
  if (format === 'csv') {
    const parser = source.pipe(
      parse({ columns: true, bom: true, skip_empty_lines: true, relax_column_count: true, info: true }),
    );
    let lastLine = 1;
    try {
      for await (const { record, info } of parser as AsyncIterable<{
        record: Record<string, string>;
        info: { lines: number };
      }>) {
        const fields = Object.fromEntries(
          Object.entries(record).map(([column, value]) => [column, restoreCell(value)]),
        );
        lastLine = info.lines;
        yield { line: info.lines, fields };
      }
    } catch (error) {
      // A broken CSV (an unclosed quote) cannot be read past the break: report it as the last row.
      const at = (error as { lines?: number }).lines ?? lastLine + 1;
      yield { line: at, error: `unreadable CSV: ${(error as Error).message}` };
    }
    return;
  }
  let line = 0;
  let buffered = '';
  for await (const chunk of source) {
    buffered += String(chunk);
    const lines = buffered.split('\n');
    buffered = lines.pop() ?? '';
    for (const text of lines) yield parseJsonLine(text, ++line);
  }
  if (buffered.trim()) yield parseJsonLine(buffered, ++line);
}

function parseJsonLine(text: string, line: number): ImportRow {
  if (!text.trim()) return { line };
  try {
    const value: unknown = JSON.parse(text);
    if (typeof value !== 'object' || value === null || Array.isArray(value))
      return { line, error: 'not a JSON object' };
    return { line, fields: value as Record<string, unknown> };
  } catch {
    return { line, error: 'not valid JSON' };
  }
}

const KNOWN = new Set<string>(TASK_COLUMNS);
const blank = (value: unknown) => value === undefined || value === null || value === '';

/** The create input a row describes; ids, timestamps and versions of an export are not carried over. */
function toCreateInput(fields: Record<string, unknown>, categoryIds: Map<string, string>): CreateTaskInput {
  const unknown = Object.keys(fields).filter((column) => !KNOWN.has(column));
  if (unknown.length > 0) throw new Error(`unknown column(s): ${unknown.join(', ')}`);
  const completed = fields.completed;
  const categoryName = blank(fields.categoryName) ? undefined : String(fields.categoryName);
  const categoryId = categoryName
    ? categoryIds.get(categoryName.toLowerCase())
    : blank(fields.categoryId)
      ? undefined
      : String(fields.categoryId);
  return {
    title: String(fields.title ?? ''),
    ...(blank(fields.description) ? {} : { description: String(fields.description) }),
    ...(blank(completed)
      ? {}
      : { completed: completed === true || String(completed).toLowerCase() === 'true' }),
    ...(blank(fields.priority) ? {} : { priority: String(fields.priority) as CreateTaskInput['priority'] }),
    ...(categoryId ? { categoryId } : {}),
    ...(blank(fields.dueDate) ? {} : { dueDate: String(fields.dueDate) }),
  };
}

export interface ImportOptions {
  /** Names this file for idempotency: the same source and line is imported once (e.g. bucket/key/etag). */
  source: string;
  dryRun?: boolean;
  batchSize?: number;
  signal?: AbortSignal;
  onProgress?: (report: ImportReport) => void;
}

/**
 * Imports rows as the user's tasks, exactly once per (source, line): a re-run after a crash or Ctrl-C
 * skips what was imported. Categories named in a `categoryName` column are created when missing.
 * Invalid rows are reported with their line numbers and never stop the others.
 */
export async function importTasks(
  ctx: TrackerContext,
  userId: string,
  rows: AsyncIterable<ImportRow>,
  options: ImportOptions,
): Promise<ImportReport> {
  parseInput(UserIdSchema, userId);
  const report: ImportReport = { imported: 0, duplicates: 0, rejected: [], rowsRead: 0, aborted: false };
  const categoryIds = new Map(
    (await listCategories(ctx, userId)).map((c) => [c.name.toLowerCase(), c.categoryId]),
  );
  const sourceKey = options.source.replace(/[^A-Za-z0-9_.:-]/g, '_').slice(-80);
  let batch: { line: number; fields: Record<string, unknown> }[] = [];

  const flush = async () => {
    if (batch.length === 0) return;
    const requests: NewTaskRequest[] = [];
    const lines: number[] = [];
    for (const row of batch) {
      try {
        await ensureCategoryNamed(ctx, userId, row.fields.categoryName, categoryIds, options.dryRun);
        requests.push({
          input: toCreateInput(row.fields, categoryIds),
          idempotencyKey: `import:${sourceKey}:${row.line}`,
        });
        lines.push(row.line);
      } catch (error) {
        report.rejected.push({ line: row.line, reason: (error as Error).message });
      }
    }
    batch = [];
    if (options.dryRun) {
      requests.forEach((request, index) => {
        const parsed = CreateTaskInputSchema.safeParse(request.input);
        if (parsed.success) report.imported++;
        else
          report.rejected.push({
            line: lines[index] as number,
            reason: parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '),
          });
      });
      return;
    }
    const results = await createTasks(ctx, userId, requests);
    results.forEach((result, index) => {
      if (result.status === 'created') report.imported++;
      else if (result.status === 'duplicate') report.duplicates++;
      else
        report.rejected.push({
          line: lines[index] as number,
          reason: 'message' in result ? result.message : '',
        });
    });
  };

  for await (const row of rows) {
    if (options.signal?.aborted) {
      report.aborted = true;
      break;
    }
    report.rowsRead++;
    if (row.error) report.rejected.push({ line: row.line, reason: row.error });
    else if (row.fields) batch.push({ line: row.line, fields: row.fields });
    if (batch.length >= (options.batchSize ?? 500)) {
      await flush();
      options.onProgress?.(report);
    }
  }
  await flush();
  report.rejected.sort((a, b) => a.line - b.line);
  options.onProgress?.(report);
  return report;
}

async function ensureCategoryNamed(
  ctx: TrackerContext,
  userId: string,
  name: unknown,
  categoryIds: Map<string, string>,
  dryRun: boolean | undefined,
): Promise<void> {
  if (blank(name) || categoryIds.has(String(name).toLowerCase()) || dryRun) return;
  try {
    const { result } = await createCategory(ctx, userId, { name: String(name) });
    categoryIds.set(result.name.toLowerCase(), result.categoryId);
  } catch (error) {
    // Created meanwhile by someone else: use theirs.
    if (!isTaskTrackerError(error, 'CATEGORY_NAME_TAKEN')) throw error;
    for (const category of await listCategories(ctx, userId))
      categoryIds.set(category.name.toLowerCase(), category.categoryId);
  }
}
