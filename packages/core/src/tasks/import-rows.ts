import { parse } from 'csv-parse/sync';
import { type CreateTaskInput, CreateTaskInputSchema } from './create-input.ts';
import { restoreCell } from './csv.ts';

/**
 * One row of an import file: the task it describes (and the name of its category, which the import
 * resolves or creates), or why it was rejected. Lines count from 1.
 */
export type ImportRow =
  | { line: number; input: CreateTaskInput; categoryName?: string }
  | { line: number; error: string };

export type ImportFormat = 'csv' | 'jsonl';

/** The file as a whole cannot be read (wrong type, no title column, broken CSV): nothing of it is imported. */
export class UnreadableFile extends Error {
  override readonly name = 'UnreadableFile';
}

/** The format a file name says; UnreadableFile for anything but .csv, .jsonl and .ndjson. */
export function formatOf(objectKey: string): ImportFormat {
  const lower = objectKey.toLowerCase();
  if (lower.endsWith('.csv')) return 'csv';
  if (lower.endsWith('.jsonl') || lower.endsWith('.ndjson')) return 'jsonl';
  throw new UnreadableFile(`${objectKey}: not a .csv, .jsonl or .ndjson file`);
}

/**
 * The export columns an import takes. Ids, timestamps, versions and the owner are ignored on purpose:
 * an import creates new tasks for the uploader, it never overwrites or re-owns existing ones.
 */
function toInput(fields: Record<string, unknown>, fromCsv: boolean): Record<string, unknown> {
  const text = (value: unknown) => {
    if (typeof value !== 'string') return value;
    const restored = fromCsv ? restoreCell(value) : value;
    return restored === '' ? undefined : restored;
  };
  const completed = fields.completed;
  return {
    title: text(fields.title),
    description: text(fields.description),
    completed: fromCsv && typeof completed === 'string' ? parseBoolean(completed) : (completed ?? undefined),
    priority: text(fields.priority),
    categoryId: text(fields.categoryName) === undefined ? text(fields.categoryId) : undefined,
    categoryName: text(fields.categoryName),
    dueDate: text(fields.dueDate),
  };
}

function parseBoolean(value: string): boolean | string | undefined {
  const lower = value.trim().toLowerCase();
  if (lower === '') return undefined;
  if (lower === 'true') return true;
  if (lower === 'false') return false;
  return value; // left for the schema to reject, with the column's name
}

function validated(line: number, candidate: Record<string, unknown>): ImportRow {
  const { categoryName, ...defined } = Object.fromEntries(
    Object.entries(candidate).filter(([, value]) => value !== undefined),
  );
  const result = CreateTaskInputSchema.safeParse(defined);
  if (result.success) {
    return {
      line,
      input: defined as CreateTaskInput,
      ...(typeof categoryName === 'string' ? { categoryName } : {}),
    };
  }
  const issue = result.error.issues[0];
  return { line, error: `${issue?.path.join('.') || 'row'}: ${issue?.message ?? 'invalid'}` };
}

const count = (text: string, part: string) => text.split(part).length - 1;

/**
 * CSV rows with the line each record starts on. csv-parse reports the line a record ends on, and counts
 * a CRLF inside a quoted cell as two lines; both are corrected from the record's own cell values.
 */
export function parseCsvRows(text: string): ImportRow[] {
  const rows: ImportRow[] = [];
  let overcount = 0;
  let header: string[] | undefined;
  try {
    parse(text, {
      bom: true,
      skip_empty_lines: true,
      skip_records_with_error: true,
      on_skip: (error, raw) => {
        if (!error) return;
        overcount += count(raw ?? '', '\r\n');
        rows.push({ line: (Number(error.lines) || 0) - overcount, error: error.message });
      },
      on_record: (cells: string[], context) => {
        const joined = cells.join('');
        overcount += count(joined, '\r\n');
        const line = context.lines - overcount - count(joined, '\n');
        if (!header) {
          header = cells;
          if (!header.includes('title')) throw new UnreadableFile('the CSV header has no title column');
          return null;
        }
        const record = Object.fromEntries(header.map((column, index) => [column, cells[index] ?? '']));
        rows.push(
          cells.length === header.length
            ? validated(line, toInput(record, true))
            : { line, error: `${cells.length} cells where the header has ${header.length}` },
        );
        return null;
      },
    });
  } catch (error) {
    if (error instanceof UnreadableFile) throw error;
    throw new UnreadableFile(`not readable as CSV: ${(error as Error).message}`);
  }
  return rows;
}

export function parseJsonLines(text: string): ImportRow[] {
  const rows: ImportRow[] = [];
  text.split(/\r?\n/).forEach((raw, index) => {
    const line = index + 1;
    if (raw.trim() === '') return;
    let value: unknown;
    try {
      value = JSON.parse(raw);
    } catch {
      rows.push({ line, error: 'not valid JSON' });
      return;
    }
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      rows.push({ line, error: 'not a JSON object' });
      return;
    }
    rows.push(validated(line, toInput(value as Record<string, unknown>, false)));
  });
  return rows;
}

export function parseImportFile(format: ImportFormat, text: string): ImportRow[] {
  return format === 'csv' ? parseCsvRows(text) : parseJsonLines(text);
}
