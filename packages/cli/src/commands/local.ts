import { stat } from 'node:fs/promises';
import path from 'node:path';
import { defaultTableNames } from '@tasktracker/core';
import {
  databaseDir,
  defaultDataDir,
  resetLocalEngine,
  runningEngine,
  stopLocalEngine,
} from '@tasktracker/local';
import { ExitCode, withGlobals } from '../runtime/action.ts';
import { confirm } from '../runtime/confirm.ts';
import { loggerFor, outputFor, startEmbeddedEngine } from '../runtime/session.ts';

async function databaseBytes(dataDir: string): Promise<number> {
  const file = path.join(databaseDir(dataDir), 'shared-local-instance.db');
  return stat(file).then(
    (info) => info.size,
    () => 0,
  );
}

export const startEngine = withGlobals(async (globals) => {
  const output = outputFor(globals);
  const engine = await startEmbeddedEngine(
    defaultTableNames(globals.stage ?? 'dev'),
    loggerFor(globals),
    output,
  );
  output.result(
    { running: true, ...engine },
    () =>
      `${engine.started ? 'Started' : 'Already running'}: ${engine.endpoint} (pid ${engine.pid}, data in ${engine.dbPath})`,
  );
});

export const stopEngine = withGlobals(async (globals) => {
  const result = await stopLocalEngine(defaultDataDir());
  outputFor(globals).result(result, () => (result.stopped ? `Stopped (pid ${result.pid})` : 'Not running'));
});

export const engineStatus = withGlobals(async (globals) => {
  const dataDir = defaultDataDir();
  const engine = await runningEngine(dataDir);
  const status = {
    running: Boolean(engine),
    dataDir,
    databaseBytes: await databaseBytes(dataDir),
    ...(engine ? { endpoint: engine.endpoint, pid: engine.pid, startedAt: engine.startedAt } : {}),
  };
  outputFor(globals).result(status, () =>
    engine
      ? `running at ${engine.endpoint} (pid ${engine.pid}, since ${engine.startedAt})\ndata: ${dataDir} (${status.databaseBytes} bytes)`
      : `not running\ndata: ${dataDir} (${status.databaseBytes} bytes)`,
  );
  return engine ? undefined : new ExitCode(3);
});

export const resetEngine = withGlobals(async (globals, flags: { yes?: boolean }) => {
  const dataDir = defaultDataDir();
  if (!(await confirm(`Delete all local tasktracker data in ${dataDir}?`, flags.yes))) return new ExitCode(1);
  await resetLocalEngine(dataDir);
  outputFor(globals).result({ reset: true, dataDir }, () => `Deleted the local data in ${dataDir}`);
});
