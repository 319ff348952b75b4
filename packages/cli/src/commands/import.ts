import { createHash } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import {
  formatOf,
  type ImportReport,
  parseImportFile,
  TaskTrackerError,
  UnreadableFile,
} from '@tasktracker/core';
import { ExitCode, withSession } from '../runtime/action.ts';
import { interruptible } from '../runtime/interrupt.ts';

function summary(report: ImportReport, dryRun: boolean): string {
  const verb = dryRun ? 'would import' : 'imported';
  const lines = [
    `${verb} ${report.imported}, skipped ${report.duplicates} already imported, rejected ${report.rejected.length}`,
  ];
  for (const { line, reason } of report.rejected.slice(0, 50)) lines.push(`  line ${line}: ${reason}`);
  if (report.rejected.length > 50)
    lines.push(`  ... and ${report.rejected.length - 50} more (use --json for all)`);
  return lines.join('\n');
}

function formatOfFile(file: string): string {
  return unreadableAsValidation(() => formatOf(file), 'use --format csv|jsonl');
}

/** A file that cannot be read at all (wrong type, no title column, broken CSV) is the user's input error. */
function unreadableAsValidation<T>(read: () => T, hint?: string): T {
  try {
    return read();
  } catch (error) {
    if (!(error instanceof UnreadableFile)) throw error;
    throw new TaskTrackerError('VALIDATION_ERROR', hint ? `${error.message}; ${hint}` : error.message);
  }
}

export const importFile = withSession(
  async (session, file: string, flags: { dryRun?: boolean; format?: string }) => {
    const { tracker, userId, output } = session;
    const format = flags.format ?? formatOfFile(file);
    if (format !== 'csv' && format !== 'jsonl') {
      throw new TaskTrackerError('VALIDATION_ERROR', `--format must be csv or jsonl, not "${format}"`);
    }
    const info = await stat(file).catch(() => undefined);
    if (!info?.isFile()) throw new TaskTrackerError('VALIDATION_ERROR', `no such file: ${file}`);
    const text = await readFile(file, 'utf8');
    // The same file content imports each row once, however often it is run.
    const source = `${path.basename(file)}:${createHash('sha256').update(text).digest('hex')}`;
    const rows = unreadableAsValidation(() => parseImportFile(format, text));
    const interrupt = interruptible();
    let report: ImportReport;
    try {
      report = await tracker.tasks.import(userId, rows, {
        source,
        signal: interrupt.signal,
        ...(flags.dryRun ? { dryRun: true } : {}),
        onProgress: (so) => output.progress('importing', so.rowsRead),
      });
    } finally {
      interrupt.dispose();
    }
    output.endProgress();
    output.result({ file, dryRun: Boolean(flags.dryRun), ...report }, () =>
      report.aborted
        ? `${summary(report, Boolean(flags.dryRun))}\nstopped after ${report.rowsRead} row(s); run the same command again to finish (nothing is imported twice)`
        : summary(report, Boolean(flags.dryRun)),
    );
    if (report.aborted) return new ExitCode(130);
    return report.rejected.length > 0 ? new ExitCode(1) : undefined;
  },
);
