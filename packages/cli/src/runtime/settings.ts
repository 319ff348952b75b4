import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import path from 'node:path';
import { safeParse, TaskTrackerError } from '@tasktracker/core';
import * as z from 'zod/mini';

/**
 * What the global flags, the environment and the config file may set; flags win over env, env over file.
 * zod/mini, like core's schemas: classic zod on top of it would cost every command ~5 ms to load, and
 * core's safeParse gives the same English messages.
 */
const text = () => z.optional(z.string().check(z.minLength(1)));
const SettingsSchema = z.strictObject({
  target: text(),
  endpoint: z.optional(z.url()),
  region: text(),
  profile: text(),
  stage: z.optional(z.enum(['dev', 'staging', 'prod'])),
  user: text(),
  tables: z.optional(
    z.strictObject({
      tasks: z.optional(z.string()),
      categories: z.optional(z.string()),
      idempotency: z.optional(z.string()),
      invocationLog: z.optional(z.string()),
    }),
  ),
});
export type Settings = z.infer<typeof SettingsSchema>;

export const CONFIG_FILE = 'tasktracker.config.json';

/** The project's config file (this directory or a parent), else the user's, else none. */
export function findConfigFile(cwd = process.cwd(), env = process.env): string | undefined {
  for (let dir = path.resolve(cwd); ; dir = path.dirname(dir)) {
    const candidate = path.join(dir, CONFIG_FILE);
    if (existsSync(candidate)) return candidate;
    if (path.dirname(dir) === dir) break;
  }
  const userFile = path.join(
    env.XDG_CONFIG_HOME || path.join(homedir(), '.config'),
    'tasktracker',
    'config.json',
  );
  return existsSync(userFile) ? userFile : undefined;
}

function readConfigFile(file: string | undefined): Settings {
  if (!file) return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new TaskTrackerError('VALIDATION_ERROR', `${file} is not valid JSON: ${(error as Error).message}`);
  }
  const result = safeParse(SettingsSchema, parsed);
  if (!result.success) {
    const issue = result.error.issues[0];
    throw new TaskTrackerError(
      'VALIDATION_ERROR',
      `${file}: ${issue?.path.join('.') || 'file'}: ${issue?.message}`,
    );
  }
  return result.data;
}

function fromEnv(env: Record<string, string | undefined>): Settings {
  const tables = {
    ...(env.TASKS_TABLE ? { tasks: env.TASKS_TABLE } : {}),
    ...(env.CATEGORIES_TABLE ? { categories: env.CATEGORIES_TABLE } : {}),
    ...(env.IDEMPOTENCY_TABLE ? { idempotency: env.IDEMPOTENCY_TABLE } : {}),
  };
  const picked = {
    target: env.TASKTRACKER_TARGET,
    endpoint: env.AWS_ENDPOINT_URL,
    region: env.AWS_REGION ?? env.AWS_DEFAULT_REGION,
    profile: env.AWS_PROFILE,
    stage: env.TASKTRACKER_STAGE,
    user: env.TASKTRACKER_USER,
    ...(Object.keys(tables).length > 0 ? { tables } : {}),
  };
  const present = Object.fromEntries(
    Object.entries(picked).filter(([, value]) => value !== undefined && value !== ''),
  );
  const result = safeParse(SettingsSchema, present);
  if (!result.success) {
    const issue = result.error.issues[0];
    throw new TaskTrackerError(
      'VALIDATION_ERROR',
      `environment: ${issue?.path.join('.')}: ${issue?.message}`,
    );
  }
  return result.data;
}

const defined = (settings: Settings) =>
  Object.fromEntries(Object.entries(settings).filter(([, value]) => value !== undefined)) as Settings;

/** Merges the three sources; `flags` are the parsed global options. */
export function resolveSettings(flags: Settings, env = process.env, cwd = process.cwd()): Settings {
  const file = readConfigFile(findConfigFile(cwd, env));
  const fromEnvironment = fromEnv(env);
  const merged: Settings = { ...defined(file), ...defined(fromEnvironment), ...defined(flags) };
  const tables = { ...file.tables, ...fromEnvironment.tables, ...flags.tables };
  return Object.keys(tables).length > 0 ? { ...merged, tables } : merged;
}
