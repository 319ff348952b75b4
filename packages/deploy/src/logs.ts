import { type FilteredLogEvent, FilterLogEventsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { TaskTrackerError } from '@tasktracker/core';
import { HANDLER_NAMES } from '@tasktracker/handlers';
import type { AwsClients } from './aws/clients.ts';
import { explainAwsError, isNotFound } from './aws/errors.ts';
import { listStackResources } from './stack/resources.ts';
import { sleep } from './stack/sleep.ts';
import { requireStack, stackNameOf } from './stack/status.ts';

export interface LogLine {
  timestamp: Date;
  level: string;
  correlationId?: string;
  message: string;
  /** The rest of a JSON line's fields; absent for plain text (the runtime's START/END/REPORT). */
  fields?: Record<string, unknown>;
  /** A CloudWatch Embedded Metric Format line. */
  metrics?: boolean;
}

const PINO_LEVELS: Record<number, string> = {
  10: 'trace',
  20: 'debug',
  30: 'info',
  40: 'warn',
  50: 'error',
  60: 'fatal',
};
const NOISE = new Set(['level', 'time', 'msg', 'correlationId', 'pid', 'hostname', 'v']);

/** One log event read the way our handlers write them (pino JSON), or kept as text. */
export function parseLogLine(timestamp: number, text: string): LogLine {
  const trimmed = text.trim();
  // Lambda's runtime prefixes console lines with "<time>\t<requestId>\t<LEVEL>\t"; pino writes bare JSON.
  const json = trimmed.startsWith('{') ? trimmed : undefined;
  if (json) {
    try {
      const record = JSON.parse(json) as Record<string, unknown>;
      if ('_aws' in record)
        return {
          timestamp: new Date(timestamp),
          level: 'metrics',
          message: 'EMF metrics',
          metrics: true,
          fields: record,
        };
      const fields = Object.fromEntries(Object.entries(record).filter(([key]) => !NOISE.has(key)));
      return {
        timestamp: new Date(timestamp),
        level:
          typeof record.level === 'number'
            ? (PINO_LEVELS[record.level] ?? String(record.level))
            : String(record.level ?? 'info'),
        ...(typeof record.correlationId === 'string' ? { correlationId: record.correlationId } : {}),
        message: String(record.msg ?? ''),
        fields,
      };
    } catch {
      // not JSON after all
    }
  }
  return {
    timestamp: new Date(timestamp),
    level: /^(START|END|REPORT|INIT_START)\b/.test(trimmed) ? 'runtime' : 'text',
    message: trimmed,
  };
}

/** `tasks-create`, a function's full name, or its logical id: the physical function name. */
export function functionNameOf(stage: string, name: string): string {
  if ((HANDLER_NAMES as readonly string[]).includes(name)) return `${stackNameOf(stage)}-${name}`;
  if (name.startsWith(`${stackNameOf(stage)}-`)) return name;
  throw new TaskTrackerError(
    'VALIDATION_ERROR',
    `unknown function "${name}": use one of ${HANDLER_NAMES.join(', ')}`,
  );
}

/**
 * The function `tt logs` reads: by name alone for the stage's own stack (no AWS call), or, with
 * --stack, the one that stack holds (its stage from its Stage parameter), checked against its resources.
 */
export async function logFunctionName(
  clients: AwsClients,
  target: { stage: string; stackName?: string | undefined; name: string },
): Promise<string> {
  if (!target.stackName) return functionNameOf(target.stage, target.name);
  try {
    const { stack, stackName, stage } = await requireStack(clients, target);
    const wanted = functionNameOf(stage, target.name);
    const functions = (await listStackResources(clients, stack.StackId ?? stackName))
      .filter((resource) => resource.type === 'AWS::Lambda::Function')
      .map((resource) => resource.physicalId);
    if (!functions.includes(wanted))
      throw new TaskTrackerError(
        'RESOURCE_NOT_FOUND',
        `stack ${stackName} has no function ${wanted}${functions.length > 0 ? ` (it has ${functions.join(', ')})` : ''}`,
      );
    return wanted;
  } catch (error) {
    throw explainAwsError(error, `finding ${target.name} in ${target.stackName}`, 'AWS_REQUEST_FAILED');
  }
}

/** `10m`, `2h`, `1d`, `30s` → milliseconds. */
export function parseDuration(text: string): number {
  const match = /^(\d+)\s*(s|m|h|d)$/.exec(text.trim());
  if (!match)
    throw new TaskTrackerError(
      'VALIDATION_ERROR',
      `--since takes a duration like 30s, 10m, 2h or 1d, not "${text}"`,
    );
  return (
    Number(match[1]) * { s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 }[match[2] as 's' | 'm' | 'h' | 'd']
  );
}

/**
 * What tells two log events apart across polls: CloudWatch's event id, or, where an endpoint gives none
 * (ministack), the stream, time and text. Keyed by a missing id alone, every event after the first of a
 * read would look like a repeat and be dropped.
 */
export function logEventKey(event: FilteredLogEvent): string {
  return event.eventId || JSON.stringify([event.logStreamName, event.timestamp, event.message]);
}

export interface LogsOptions {
  functionName: string;
  sinceMs: number;
  tail?: boolean;
  pollMs?: number;
  signal?: AbortSignal;
  onLine(line: LogLine): void;
}

/**
 * `tt logs`: the function's CloudWatch Logs from `since` on, oldest first; with tail, keeps polling
 * for new events (deduplicated by event id) until the signal fires.
 */
export async function readLogs(clients: AwsClients, options: LogsOptions): Promise<number> {
  const logGroupName = `/aws/lambda/${options.functionName}`;
  let startTime = Date.now() - options.sinceMs;
  const seen = new Set<string>();
  let count = 0;
  try {
    for (;;) {
      let token: string | undefined;
      do {
        const page = await clients.logs.send(
          new FilterLogEventsCommand({ logGroupName, startTime, nextToken: token }),
        );
        for (const event of page.events ?? []) {
          const key = logEventKey(event);
          if (seen.has(key)) continue;
          seen.add(key);
          options.onLine(parseLogLine(event.timestamp ?? 0, event.message ?? ''));
          startTime = Math.max(startTime, event.timestamp ?? 0);
          count += 1;
        }
        token = page.nextToken;
      } while (token);
      if (!options.tail) return count;
      await sleep(options.pollMs ?? 2_000, options.signal);
    }
  } catch (error) {
    if (error instanceof TaskTrackerError && error.code === 'INTERRUPTED') return count;
    if (isNotFound(error))
      throw new TaskTrackerError(
        'RESOURCE_NOT_FOUND',
        `no log group ${logGroupName}: the function has not logged yet, or is not deployed`,
      );
    throw explainAwsError(error, `reading ${logGroupName}`, 'AWS_REQUEST_FAILED');
  }
}
