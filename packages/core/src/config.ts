import * as z from 'zod';
import { defaultTableNames, type TableNames } from './dynamo/tables.ts';
import { LOG_LEVELS } from './logger.ts';

/** Raised when the environment is missing or malformed; the message is one line naming the variable. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

const STAGES = ['dev', 'staging', 'prod'] as const;

export const EnvSchema = z.object({
  STAGE: z.enum(STAGES).default('dev'),
  LOG_LEVEL: z.enum(LOG_LEVELS).default('info'),
  TASKS_TABLE: z.string().min(3).optional(),
  CATEGORIES_TABLE: z.string().min(3).optional(),
  IDEMPOTENCY_TABLE: z.string().min(3).optional(),
  INVOCATION_LOG_TABLE: z.string().min(3).optional(),
  IDEMPOTENCY_TTL_SECONDS: z.coerce.number().int().min(60).max(2_592_000).default(86_400),
  AWS_REGION: z.string().min(1).optional(),
  AWS_ENDPOINT_URL: z.url().optional(),
});

export type Config = {
  stage: (typeof STAGES)[number];
  logLevel: (typeof LOG_LEVELS)[number];
  tables: TableNames;
  idempotencyTtlSeconds: number;
  region: string | undefined;
  endpoint: string | undefined;
};

/** Reads the configuration from an environment (process.env by default, never read on import). */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const present = Object.fromEntries(Object.entries(env).filter(([, value]) => value !== ''));
  const result = EnvSchema.safeParse(present);
  if (!result.success) {
    const issue = result.error.issues[0];
    const name = String(issue?.path[0] ?? 'environment');
    const shown = env[name] === undefined ? 'is missing' : `is ${JSON.stringify(env[name])}`;
    throw new ConfigError(`${name} ${shown}: ${issue?.message ?? 'invalid'}`);
  }
  const parsed = result.data;
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
