import { createCategory, listCategories } from '../categories/service.ts';
import type { TrackerContext } from '../context.ts';
import { isTaskTrackerError } from '../errors.ts';
import { sha256 } from '../idempotency/key.ts';
import { UserIdSchema } from '../ids.ts';
import { parseInput } from '../validation.ts';
import { createTasks, type NewTaskRequest } from './bulk-create.ts';
import type { ImportRow } from './import-rows.ts';

export interface ImportReport {
  imported: number;
  /** Rows an earlier run of the same source already imported. */
  duplicates: number;
  rejected: { line: number; reason: string }[];
  /** Rows whose write failed for a passing reason (throttling, an outage): a re-run retries them. */
  failed: number;
  /** Rows read so far; with `signal` aborted midway, where a re-run would pick up (it skips duplicates). */
  rowsRead: number;
  aborted: boolean;
}

export interface ImportOptions {
  /** Names the file for idempotency: each (source, line) imports once (e.g. bucket/key/etag, or a digest). */
  source: string;
  dryRun?: boolean;
  batchSize?: number;
  signal?: AbortSignal;
  onProgress?: (report: ImportReport) => void;
}

type ValidRow = Extract<ImportRow, { input: unknown }>;

/**
 * Imports rows as the user's tasks, exactly once per (source, line): a re-run after a crash, a Ctrl-C
 * or a redelivered S3 event skips what was imported. Categories named in a `categoryName` column are
 * created when missing. Invalid rows are reported with their line numbers and never stop the others.
 */
export async function importTasks(
  ctx: TrackerContext,
  userId: string,
  rows: Iterable<ImportRow> | AsyncIterable<ImportRow>,
  options: ImportOptions,
): Promise<ImportReport> {
  parseInput(UserIdSchema, userId);
  const report: ImportReport = {
    imported: 0,
    duplicates: 0,
    rejected: [],
    failed: 0,
    rowsRead: 0,
    aborted: false,
  };
  const categoryIds = new Map(
    (await listCategories(ctx, userId)).map((c) => [c.name.toLowerCase(), c.categoryId]),
  );
  // Hashed: keys are at most 128 characters of [A-Za-z0-9_.:-], and S3 keys are not.
  const scope = sha256(options.source).slice(0, 32);
  let batch: ValidRow[] = [];

  const flush = async () => {
    const requests: NewTaskRequest[] = [];
    const lines: number[] = [];
    for (const row of batch) {
      try {
        const categoryId = row.categoryName
          ? await categoryNamed(ctx, userId, row.categoryName, categoryIds, options.dryRun)
          : row.input.categoryId;
        requests.push({
          input: { ...row.input, ...(categoryId ? { categoryId } : {}) },
          idempotencyKey: `import:${scope}:${row.line}`,
        });
        lines.push(row.line);
      } catch (error) {
        report.rejected.push({ line: row.line, reason: (error as Error).message });
      }
    }
    batch = [];
    if (requests.length === 0) return;
    if (options.dryRun) {
      report.imported += requests.length;
      return;
    }
    const results = await createTasks(ctx, userId, requests);
    results.forEach((result, index) => {
      if (result.status === 'created') report.imported++;
      else if (result.status === 'duplicate') report.duplicates++;
      else if (result.status === 'failed') report.failed++;
      else if (result.status === 'invalid')
        report.rejected.push({ line: lines[index] as number, reason: result.message });
    });
  };

  for await (const row of rows) {
    if (options.signal?.aborted) {
      report.aborted = true;
      break;
    }
    report.rowsRead++;
    if ('error' in row) report.rejected.push({ line: row.line, reason: row.error });
    else batch.push(row);
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

/** The id of the user's category with this name, created when missing (not in a dry run). */
async function categoryNamed(
  ctx: TrackerContext,
  userId: string,
  name: string,
  categoryIds: Map<string, string>,
  dryRun: boolean | undefined,
): Promise<string | undefined> {
  const known = categoryIds.get(name.toLowerCase());
  if (known || dryRun) return known;
  try {
    const { result } = await createCategory(ctx, userId, { name });
    categoryIds.set(result.name.toLowerCase(), result.categoryId);
    return result.categoryId;
  } catch (error) {
    // Created meanwhile by someone else: use theirs.
    if (!isTaskTrackerError(error, 'CATEGORY_NAME_TAKEN')) throw error;
    for (const category of await listCategories(ctx, userId))
      categoryIds.set(category.name.toLowerCase(), category.categoryId);
    return categoryIds.get(name.toLowerCase());
  }
}
