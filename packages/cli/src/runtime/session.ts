import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  createLogger,
  createTaskTracker,
  defaultTableNames,
  type Logger,
  type TableNames,
  type TaskTracker,
  TaskTrackerError,
} from '@tasktracker/core';
import { defaultDataDir, ensureLocalEngine, JavaMissingError, localDynamoClient } from '@tasktracker/local';
import type { GlobalOptions } from './globals.ts';
import { Output } from './output.ts';
import { resolveSettings, type Settings } from './settings.ts';
import { clientConfig, describeTarget, parseTarget, type Target } from './target.ts';

/** Everything a command needs, resolved once from flags, environment and config file. */
export interface Session {
  tracker: TaskTracker;
  userId: string;
  target: Target;
  tables: TableNames;
  settings: Settings;
  output: Output;
  logger: Logger;
  close(): void;
}

export function outputFor(globals: GlobalOptions): Output {
  const color = globals.color !== false && !process.env.NO_COLOR && Boolean(process.stdout.isTTY);
  return new Output({
    json: Boolean(globals.json),
    color,
    quiet: Boolean(globals.quiet),
    verbose: Boolean(globals.verbose),
  });
}

export function loggerFor(globals: GlobalOptions): Logger {
  const level = globals.verbose ? 'debug' : globals.quiet ? 'error' : (process.env.LOG_LEVEL ?? 'warn');
  // Logs go to stderr: stdout belongs to the command's result.
  return createLogger({ level: level as 'warn', destination: process.stderr as never });
}

export function settingsFor(globals: GlobalOptions): Settings {
  return resolveSettings({
    target: globals.target,
    endpoint: globals.endpoint,
    region: globals.region,
    profile: globals.profile,
    stage: globals.stage,
    user: globals.user,
  });
}

export async function openSession(globals: GlobalOptions): Promise<Session> {
  const output = outputFor(globals);
  const logger = loggerFor(globals);
  const settings = settingsFor(globals);
  const target = parseTarget(settings.target, settings.endpoint);
  const tables = { ...defaultTableNames(settings.stage ?? 'dev'), ...settings.tables };
  const userId = settings.user ?? (target.kind === 'local' ? 'local' : undefined);
  if (!userId) {
    throw new TaskTrackerError(
      'VALIDATION_ERROR',
      `--user is required on the ${target.kind} target (or set TASKTRACKER_USER, or "user" in tasktracker.config.json)`,
    );
  }
  let client: DynamoDBClient;
  if (target.kind === 'local') {
    const engine = await startEmbeddedEngine(tables, logger, output);
    client = localDynamoClient(engine.endpoint);
  } else {
    client = new DynamoDBClient(clientConfig(target, settings));
  }
  logger.debug({ target: describeTarget(target), tables, userId }, 'session');
  return {
    tracker: createTaskTracker({ client, tables, logger }),
    userId,
    target,
    tables,
    settings,
    output,
    logger,
    close: () => client.destroy(),
  };
}

export async function startEmbeddedEngine(tables: TableNames, logger: Logger, output: Output) {
  try {
    const engine = await ensureLocalEngine({ dataDir: defaultDataDir(), tables, logger });
    if (engine.started)
      output.note(`started the local engine at ${engine.endpoint} (data in ${engine.dbPath})`);
    return engine;
  } catch (error) {
    if (error instanceof JavaMissingError) throw new TaskTrackerError('SERVICE_UNAVAILABLE', error.message);
    throw error;
  }
}
