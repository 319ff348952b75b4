import { type DestinationStream, type Logger, pino } from 'pino';
import { redactSecrets } from './redact.ts';

export type { Logger } from 'pino';

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export interface LoggerOptions {
  level?: LogLevel;
  /** Fields on every line, e.g. { service: 'tasktracker' }. */
  base?: Record<string, unknown>;
  /**
   * Where lines go. Default: stdout, written synchronously, so every line is out before the call returns
   * (a Lambda may be frozen the moment its handler returns; an async buffer would lose lines there).
   */
  destination?: DestinationStream;
}

/** process.stdout is synchronous for files, pipes and terminals on Linux, where Lambda runs. */
const STDOUT: DestinationStream = { write: (line) => void process.stdout.write(line) };

/**
 * pino's error serializer, with `type` taken from the error's name. pino reads the constructor's name,
 * which a minified Lambda bundle shortens to a letter ("type":"t"); the name survives minification (the
 * SDK's errors and ours set it: NoSuchKey, TaskTrackerError, UnreadableFile). A plain Error keeps pino's.
 */
function serializeError(error: Error): ReturnType<typeof pino.stdSerializers.err> {
  const serialized = pino.stdSerializers.err(error);
  const name = error instanceof Error ? error.name : undefined;
  if (typeof name === 'string' && name !== '' && name !== 'Error') serialized.type = name;
  return serialized;
}

export function createLogger(options: LoggerOptions = {}): Logger {
  const logger = pino(
    {
      level: options.level ?? 'info',
      base: options.base ?? null,
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: {
        level: (label) => ({ level: label }),
        log: (object) => redactSecrets(object) as Record<string, unknown>,
        bindings: (bindings) => redactSecrets(bindings) as Record<string, unknown>,
      },
      serializers: { err: (error) => redactSecrets(serializeError(error)) },
    },
    options.destination ?? STDOUT,
  );
  // pino applies the bindings formatter to the root's bindings only; children are created from their
  // parent's prototype, so this override reaches every descendant's bindings too.
  const child = logger.child;
  logger.child = function redactedChild(this: Logger, bindings, childOptions) {
    return child.call(this, redactSecrets(bindings) as typeof bindings, childOptions);
  } as Logger['child'];
  return logger;
}

/** A logger that drops everything: the default for library users who pass none. */
export function silentLogger(): Logger {
  return pino({ level: 'silent' }, { write: () => undefined });
}
