import { type DestinationStream, type Logger, pino } from 'pino';

export type { Logger } from 'pino';

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/**
 * Secrets never reach a log line: header names are matched in any casing we emit, at the top level
 * and one or two levels down (event.headers, request.headers).
 */
const SECRET_KEYS = [
  'authorization',
  'Authorization',
  'x-api-key',
  'X-Api-Key',
  'X-API-Key',
  'apiKey',
  'token',
  'accessToken',
  'refreshToken',
  'idToken',
  'password',
  'secret',
  'cookie',
  'Cookie',
  'x-amz-security-token',
  'X-Amz-Security-Token',
];

const IDENTIFIER = /^[A-Za-z_$][\w$]*$/;
const pathTo = (prefix: string, key: string) =>
  IDENTIFIER.test(key) ? [prefix, key].filter(Boolean).join('.') : `${prefix}["${key}"]`;

export const REDACTED_PATHS = SECRET_KEYS.flatMap((key) =>
  ['', '*', '*.*'].map((prefix) => pathTo(prefix, key)),
);

export interface LoggerOptions {
  level?: LogLevel;
  /** Fields on every line, e.g. { service: 'tasktracker' }. */
  base?: Record<string, unknown>;
  /** Where lines go; stdout when omitted. Tests pass a stream to read the lines back. */
  destination?: DestinationStream;
}

export function createLogger(options: LoggerOptions = {}): Logger {
  return pino(
    {
      level: options.level ?? 'info',
      base: options.base ?? null,
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
      redact: { paths: REDACTED_PATHS, censor: '[REDACTED]' },
    },
    options.destination,
  );
}

/** A logger that drops everything: the default for library users who pass none. */
export function silentLogger(): Logger {
  return pino({ level: 'silent' });
}
