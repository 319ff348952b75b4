import { readFile, rename, rm, writeFile } from 'node:fs/promises';
import { connect } from 'node:net';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { defaultTableNames, type Logger, type TableNames } from '@tasktracker/core';
import {
  discardArchive,
  type EngineLaunch,
  planEngineLaunch,
  scheduleArchiveBuild,
  withoutArchive,
} from './cds/archive.ts';
import { localDynamoClient } from './client.ts';
import { type DynamoDbLocal, dynamoDbLocalDir, engineJvmOptions, startDynamoDbLocal } from './engine.ts';
import { findJava } from './java.ts';
import { isAlive, withLock } from './lock.ts';
import { ensureTables } from './tables.ts';

/**
 * The CLI's background engine: DynamoDB Local in persistent mode, started by the first command and
 * reused by the next ones. Its pid and port live in `<dataDir>/engine.json`.
 */
export interface EngineState {
  pid: number;
  port: number;
  endpoint: string;
  dbPath: string;
  startedAt: string;
  /** Tasks-table names whose table set has been created on this engine (one per stage used). */
  tableSets: string[];
  /** Whether the engine started with its class-data sharing archive ('used'), without one yet, or off. */
  classDataSharing?: EngineLaunch['archive'];
}

export interface LocalEngineOptions {
  dataDir: string;
  tables?: TableNames;
  logger?: Logger;
  /**
   * When this start has no class-data archive yet: 'background' (default) builds one in a detached,
   * low-priority process; 'none' builds none (tests that build it themselves).
   */
  archiveBuild?: 'background' | 'none';
  /** The background build's CPU priority: 'low' (default, nice 19) or 'normal' (tests on a busy CI). */
  archivePriority?: 'low' | 'normal';
}

const stateFile = (dataDir: string) => path.join(dataDir, 'engine.json');
const lockDir = (dataDir: string) => path.join(dataDir, 'engine.lock');
export const databaseDir = (dataDir: string) => path.join(dataDir, 'db');

export async function readEngineState(dataDir: string): Promise<EngineState | undefined> {
  try {
    return JSON.parse(await readFile(stateFile(dataDir), 'utf8')) as EngineState;
  } catch {
    return undefined;
  }
}

/** Is this pid still our engine? A recycled pid belonging to another program is not. */
async function isOurEngine(pid: number): Promise<boolean> {
  if (!isAlive(pid)) return false;
  const cmdline = await readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => undefined);
  return cmdline === undefined || cmdline.includes('DynamoDBLocal.jar');
}

function portAnswers(port: number, timeoutMs = 500): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    const done = (answer: boolean) => {
      socket.destroy();
      resolve(answer);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

/** The running engine, if its state file points at a live engine that accepts connections. */
export async function runningEngine(dataDir: string): Promise<EngineState | undefined> {
  const state = await readEngineState(dataDir);
  if (!state) return undefined;
  if ((await isOurEngine(state.pid)) && (await portAnswers(state.port))) return state;
  return undefined;
}

/**
 * Returns the endpoint of the background engine, starting it (and creating the tables) when none runs.
 * A stale state file (dead pid, recycled pid, closed port) is replaced.
 */
export async function ensureLocalEngine(
  options: LocalEngineOptions,
): Promise<EngineState & { started: boolean }> {
  const tables = options.tables ?? defaultTableNames('dev');
  const fast = await runningEngine(options.dataDir);
  if (fast?.tableSets?.includes(tables.tasks)) return { ...fast, started: false };
  return withLock(lockDir(options.dataDir), async () => {
    // Someone may have started it while we waited for the lock.
    const raced = await runningEngine(options.dataDir);
    if (raced) {
      if (raced.tableSets?.includes(tables.tasks)) return { ...raced, started: false };
      // The engine runs but this stage's tables were never made on it.
      await createTables(raced.endpoint, tables);
      const state = { ...raced, tableSets: [...(raced.tableSets ?? []), tables.tasks] };
      await writeState(options.dataDir, state);
      return { ...state, started: false };
    }
    const stale = await readEngineState(options.dataDir);
    if (stale && (await isOurEngine(stale.pid))) await terminate(stale.pid);
    const started = Date.now();
    const { engine, launch, java } = await startPersistentEngine(options);
    if (launch.archive === 'absent' && options.archiveBuild !== 'none') {
      await scheduleArchiveBuild(java, launch, {
        lowPriority: options.archivePriority !== 'normal',
        ...(options.logger ? { logger: options.logger } : {}),
      });
    }
    await createTables(engine.endpoint, tables);
    const state: EngineState = {
      pid: engine.pid,
      port: engine.port,
      endpoint: engine.endpoint,
      dbPath: databaseDir(options.dataDir),
      startedAt: new Date().toISOString(),
      tableSets: [tables.tasks],
      classDataSharing: launch.archive,
    };
    await writeState(options.dataDir, state);
    options.logger?.debug({ ms: Date.now() - started, endpoint: engine.endpoint }, 'local engine started');
    return { ...state, started: true };
  });
}

/**
 * Starts DynamoDB Local on the data dir's database, with its class-data archive when there is one. A
 * start that fails with the archive is retried at once without it (the archive is dropped, and rebuilt
 * later): the archive may make a start quicker, never make it fail.
 */
async function startPersistentEngine(options: LocalEngineOptions) {
  // `java -version` is a JVM start of its own: it runs again only when the executable changes.
  const java = await findJava({ cacheFile: path.join(options.dataDir, 'java.json') });
  const launch = await planEngineLaunch({
    dataDir: options.dataDir,
    engineDir: dynamoDbLocalDir(),
    jvm: java,
    jvmOptions: engineJvmOptions(),
    ...(options.logger ? { logger: options.logger } : {}),
  });
  const start = (prefix: string[]): Promise<DynamoDbLocal> =>
    startDynamoDbLocal({
      dbPath: databaseDir(options.dataDir),
      detached: true,
      launch: prefix,
      java,
      ...(options.logger ? { logger: options.logger } : {}),
    });
  try {
    return { engine: await start(launch.prefix), launch, java: java.path };
  } catch (error) {
    if (launch.archive !== 'used') throw error;
    options.logger?.warn(
      { err: error },
      'the engine did not start with its class-data archive; starting without',
    );
    await discardArchive(launch);
    const retry = withoutArchive(launch);
    return { engine: await start(retry.prefix), launch: retry, java: java.path };
  }
}

async function createTables(endpoint: string, tables: TableNames): Promise<void> {
  const client = localDynamoClient(endpoint);
  try {
    await ensureTables(client, tables);
  } finally {
    client.destroy();
  }
}

async function writeState(dataDir: string, state: EngineState): Promise<void> {
  // Write-then-rename: a reader never sees half a file.
  const temporary = `${stateFile(dataDir)}.${process.pid}.tmp`;
  await writeFile(temporary, `${JSON.stringify(state, null, 2)}\n`);
  await rename(temporary, stateFile(dataDir));
}

async function terminate(pid: number): Promise<void> {
  try {
    process.kill(pid, 'SIGTERM');
  } catch {
    return;
  }
  for (let waited = 0; waited < 5_000; waited += 50) {
    if (!isAlive(pid)) return;
    await sleep(50);
  }
  try {
    process.kill(pid, 'SIGKILL');
  } catch {
    // Already gone.
  }
}

/** Stops the background engine; its data stays on disk. */
export async function stopLocalEngine(dataDir: string): Promise<{ stopped: boolean; pid?: number }> {
  return withLock(lockDir(dataDir), async () => {
    const state = await readEngineState(dataDir);
    await rm(stateFile(dataDir), { force: true });
    if (!state || !(await isOurEngine(state.pid))) return { stopped: false };
    await terminate(state.pid);
    return { stopped: true, pid: state.pid };
  });
}

/** Stops the engine and deletes its database. */
export async function resetLocalEngine(dataDir: string): Promise<void> {
  await stopLocalEngine(dataDir);
  await rm(databaseDir(dataDir), { recursive: true, force: true });
}
