import { type LogLine, logFunctionName, parseDuration, readLogs } from '@tasktracker/deploy';
import { withGlobals } from '../runtime/action.ts';
import { openAws } from '../runtime/aws.ts';
import { interruptible } from '../runtime/interrupt.ts';
import type { Color, Output } from '../runtime/output.ts';
import { outputFor } from '../runtime/session.ts';

const LEVEL_COLORS: Record<string, Color> = {
  trace: 'gray',
  debug: 'gray',
  info: 'green',
  warn: 'yellow',
  error: 'red',
  fatal: 'red',
  runtime: 'gray',
  metrics: 'gray',
};

function renderLine(output: Output, line: LogLine): string {
  const level = output.paint(LEVEL_COLORS[line.level] ?? 'cyan', line.level.toUpperCase().padEnd(7));
  const correlation = line.correlationId ? output.paint('magenta', `[${line.correlationId}] `) : '';
  const fields =
    line.fields && Object.keys(line.fields).length > 0 && !line.metrics
      ? output.paint('gray', ` ${JSON.stringify(line.fields)}`)
      : '';
  return `${line.timestamp.toISOString()} ${level} ${correlation}${line.message}${fields}`;
}

export const showLogs = withGlobals(
  async (
    globals,
    name: string,
    flags: { since: string; tail?: boolean; metrics?: boolean; stack?: string },
  ) => {
    const output = outputFor(globals);
    const sinceMs = parseDuration(flags.since);
    const aws = openAws(globals, 'logs');
    const interrupt = interruptible();
    try {
      const count = await readLogs(aws.clients, {
        functionName: await logFunctionName(aws.clients, {
          stage: aws.stage,
          stackName: flags.stack,
          name,
        }),
        sinceMs,
        tail: Boolean(flags.tail),
        signal: interrupt.signal,
        onLine: (line) => {
          if (line.metrics && !flags.metrics) return;
          if (output.options.json) process.stdout.write(`${JSON.stringify(line)}\n`);
          else process.stdout.write(`${renderLine(output, line)}\n`);
        },
      });
      if (count === 0) output.note(`no log lines in the last ${flags.since}`);
    } finally {
      interrupt.dispose();
      aws.clients.destroy();
    }
  },
);
