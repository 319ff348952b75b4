import { type ErrorCode, isTaskTrackerError } from '@tasktracker/core';

/** How a command speaks: one JSON document on stdout for scripts, or text for people. */
export interface OutputOptions {
  json: boolean;
  color: boolean;
  quiet: boolean;
  verbose: boolean;
}

const ANSI = { red: 31, green: 32, yellow: 33, blue: 34, magenta: 35, cyan: 36, gray: 90, bold: 1 } as const;
export type Color = keyof typeof ANSI;

export class Output {
  constructor(readonly options: OutputOptions) {}

  paint(color: Color, text: string): string {
    return this.options.color ? `\u001b[${ANSI[color]}m${text}\u001b[0m` : text;
  }

  /** The command's result: `document` with --json, `human()` otherwise. */
  result(document: unknown, human: () => string): void {
    if (this.options.json) process.stdout.write(`${JSON.stringify(document)}\n`);
    else {
      const text = human();
      if (text) process.stdout.write(text.endsWith('\n') ? text : `${text}\n`);
    }
  }

  /** A line for people that is not the result (never on stdout with --json). */
  note(text: string): void {
    if (this.options.quiet) return;
    process.stderr.write(`${text}\n`);
  }

  /** A progress line, redrawn in place; only when stderr is a terminal. */
  progress(label: string, done: number, total?: number): void {
    if (!process.stderr.isTTY || this.options.quiet) return;
    const width = 24;
    const bar =
      total && total > 0
        ? `[${'#'.repeat(Math.round((done / total) * width)).padEnd(width, '.')}] ${done}/${total}`
        : `${done}`;
    process.stderr.write(`\r${label} ${bar}`);
    if (total !== undefined && done >= total) process.stderr.write('\n');
  }

  endProgress(): void {
    if (process.stderr.isTTY && !this.options.quiet) process.stderr.write('\r\u001b[K');
  }
}

const HINTS: Partial<Record<ErrorCode, string>> = {
  RESOURCE_NOT_FOUND: 'list what exists with: tt tasks list (or tt categories list)',
  VERSION_CONFLICT: 'someone changed it first; see the current version with: tt tasks show <id>',
  CATEGORY_NOT_EMPTY: 'add --reassign-to <category> or --uncategorize',
  CATEGORY_NAME_TAKEN: 'pick another name, or rename the existing category',
  INVALID_CURSOR: 'a cursor only works with the same filters and user it came from',
  IDEMPOTENCY_KEY_REUSED: 'use a new --idempotency-key for a different request',
  SERVICE_UNAVAILABLE: 'check the engine with: tt doctor (or tt local status)',
};

/** Prints an error the way the CLI always does; returns the exit code. */
export function reportError(error: unknown, output: Output): number {
  if (isTaskTrackerError(error)) {
    if (output.options.json) {
      process.stdout.write(
        `${JSON.stringify({ error: { code: error.code, message: error.message, details: error.details } })}\n`,
      );
    } else {
      process.stderr.write(`${output.paint('red', `error ${error.code}`)}: ${error.message}\n`);
      const hint = HINTS[error.code];
      if (hint) process.stderr.write(`${output.paint('gray', `hint: ${hint}`)}\n`);
      if (Array.isArray(error.details) && error.details.length > 1) {
        for (const detail of error.details) {
          process.stderr.write(
            `  ${(detail as { path: string[] }).path.join('.')}: ${(detail as { message: string }).message}\n`,
          );
        }
      }
    }
    if (output.options.verbose && error.cause)
      process.stderr.write(`${String((error.cause as Error).stack ?? error.cause)}\n`);
    return error.exitCode;
  }
  const message = (error as Error)?.message ?? String(error);
  if (output.options.json) {
    process.stdout.write(`${JSON.stringify({ error: { code: 'INTERNAL_SERVER_ERROR', message } })}\n`);
  } else {
    process.stderr.write(`${output.paint('red', 'error')}: ${message.split('\n')[0]}\n`);
    if (output.options.verbose) process.stderr.write(`${(error as Error)?.stack ?? ''}\n`);
    else process.stderr.write(`${output.paint('gray', 'hint: run again with --verbose for details')}\n`);
  }
  return 1;
}
