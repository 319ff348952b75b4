import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  type Config,
  createLogger,
  createTrackerContext,
  integerFromText,
  type Logger,
  loadConfig,
  parseEnv,
  type TrackerContext,
} from '@tasktracker/core';
import type { DestinationStream } from 'pino';
import * as z from 'zod/mini';
import { parseAllowedOrigins } from './http/cors.ts';

/**
 * Exports above this many bytes go to S3: API Gateway's response limit is 6 MB, JSON escaping included.
 * The template's ExportInlineLimitBytes parameter declares the same bounds (a test holds them equal).
 */
export const EXPORT_INLINE_LIMIT_BYTES = { min: 1, max: 5_500_000, default: 5_000_000 } as const;

/** Settings only the Lambda side reads; core's loadConfig covers stage, log level and table names. */
export const HandlerEnvSchema = z.object({
  ALLOWED_ORIGINS: z._default(z.string(), ''),
  BUCKET_NAME: z.optional(z.string().check(z.minLength(3))),
  EXPORT_INLINE_LIMIT_BYTES: z._default(
    integerFromText(EXPORT_INLINE_LIMIT_BYTES.min, EXPORT_INLINE_LIMIT_BYTES.max),
    EXPORT_INLINE_LIMIT_BYTES.default,
  ),
  METRICS_NAMESPACE: z._default(z.string().check(z.minLength(1)), 'TaskTracker'),
});
export type HandlerEnv = z.infer<typeof HandlerEnvSchema>;

/** What the HTTP wrapper needs: no AWS client, so handlers that touch no table bundle none. */
export interface HttpRuntime {
  config: Config;
  env: HandlerEnv;
  allowedOrigins: string[];
  logger: Logger;
  /** Where EMF metric lines go: stdout in Lambda. */
  writeMetrics: (line: string) => void;
  invocationLogTable: string;
}

export interface Runtime extends HttpRuntime {
  dynamo: DynamoDBClient;
  /** Routes call core's service functions with it, so each bundle carries only the services it uses. */
  context: TrackerContext;
}

export interface RuntimeOptions {
  env?: Record<string, string | undefined>;
  logDestination?: DestinationStream;
  writeMetrics?: (line: string) => void;
  dynamo?: DynamoDBClient;
}

/**
 * Config and logger, built once per container in the init phase; a bad environment fails the init with
 * one line naming the variable.
 */
export function createHttpRuntime(options: RuntimeOptions = {}): HttpRuntime {
  const source = options.env ?? process.env;
  const config = loadConfig(source);
  const env = parseEnv(HandlerEnvSchema, source);
  return {
    config,
    env,
    allowedOrigins: parseAllowedOrigins(env.ALLOWED_ORIGINS),
    logger: createLogger({
      level: config.logLevel,
      base: { service: 'tasktracker', stage: config.stage },
      ...(options.logDestination ? { destination: options.logDestination } : {}),
    }),
    writeMetrics: options.writeMetrics ?? ((line) => process.stdout.write(`${line}\n`)),
    invocationLogTable: config.tables.invocationLog,
  };
}

/** The HTTP runtime plus the DynamoDB client and the tracker context, reused across invocations. */
export function createRuntime(options: RuntimeOptions = {}): Runtime {
  const http = createHttpRuntime(options);
  // No endpoint here: the SDK reads AWS_ENDPOINT_URL / AWS_ENDPOINT_URL_DYNAMODB itself, which lets
  // DynamoDB and S3 point at different local engines.
  const dynamo =
    options.dynamo ?? new DynamoDBClient(http.config.region ? { region: http.config.region } : {});
  const context = createTrackerContext({
    client: dynamo,
    tables: http.config.tables,
    logger: http.logger,
    idempotencyTtlSeconds: http.config.idempotencyTtlSeconds,
  });
  return { ...http, dynamo, context };
}

let sharedHttp: HttpRuntime | undefined;
let shared: Runtime | undefined;

/** The container's runtimes: every handler module in one process shares them. */
export function sharedHttpRuntime(): HttpRuntime {
  sharedHttp ??= shared ?? createHttpRuntime();
  return sharedHttp;
}

export function sharedRuntime(): Runtime {
  shared ??= createRuntime();
  return shared;
}
