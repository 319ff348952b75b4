import * as z from 'zod/mini';
import { defaultTableNames, type TableNames } from './dynamo/tables.ts';
import { LOG_LEVELS } from './logger.ts';
import { integerFromText, safeParse } from './validation.ts';

/** Raised when the environment is missing or malformed; the message is one line naming the variable. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

const STAGES = ['dev', 'staging', 'prod'] as const;
const TableNameSchema = z.string().check(z.minLength(3));

export const EnvSchema = z.object({
  STAGE: z._default(z.enum(STAGES), 'dev'),
  LOG_LEVEL: z._default(z.enum(LOG_LEVELS), 'info'),
  TASKS_TABLE: z.optional(TableNameSchema),
  CATEGORIES_TABLE: z.optional(TableNameSchema),
  IDEMPOTENCY_TABLE: z.optional(TableNameSchema),
  INVOCATION_LOG_TABLE: z.optional(TableNameSchema),
  IDEMPOTENCY_TTL_SECONDS: z._default(integerFromText(60, 2_592_000), 86_400),
  AWS_REGION: z.optional(z.string().check(z.minLength(1))),
  AWS_ENDPOINT_URL: z.optional(z.url()),
});

export type Config = {
  stage: (typeof STAGES)[number];
  logLevel: (typeof LOG_LEVELS)[number];
  tables: TableNames;
  idempotencyTtlSeconds: number;
  region: string | undefined;
  endpoint: string | undefined;
};

type Env = Record<string, string | undefined>;

/**
 * Parses environment variables with a schema (an empty variable counts as unset); a bad one is a
 * ConfigError whose one-line message names the variable.
 */
export function parseEnv<S extends z.core.$ZodType>(schema: S, env: Env): z.output<S> {
  const present = Object.fromEntries(Object.entries(env).filter(([, value]) => value !== ''));
  const result = safeParse(schema, present);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const name = String(issue?.path[0] ?? 'environment');
  const shown = env[name] === undefined ? 'is missing' : `is ${JSON.stringify(env[name])}`;
  throw new ConfigError(`${name} ${shown}: ${issue?.message ?? 'invalid'}`);
}

/** Reads the configuration from an environment (process.env by default, never read on import). */
export function loadConfig(env: Env = process.env): Config {
  const parsed = parseEnv(EnvSchema, env);
  const defaults = defaultTableNames(parsed.STAGE);
  return {
    stage: parsed.STAGE,
    logLevel: parsed.LOG_LEVEL,
    tables: {
      tasks: parsed.TASKS_TABLE ?? defaults.tasks,
      categories: parsed.CATEGORIES_TABLE ?? defaults.categories,
      idempotency: parsed.IDEMPOTENCY_TABLE ?? defaults.idempotency,
      invocationLog: parsed.INVOCATION_LOG_TABLE ?? defaults.invocationLog,
    },
    idempotencyTtlSeconds: parsed.IDEMPOTENCY_TTL_SECONDS,
    region: parsed.AWS_REGION,
    endpoint: parsed.AWS_ENDPOINT_URL,
  };
}
