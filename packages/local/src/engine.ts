import { type ChildProcess, spawn } from 'node:child_process';
import { closeSync, openSync } from 'node:fs';
import { mkdir, readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { ListTablesCommand } from '@aws-sdk/client-dynamodb';
import type { Logger } from '@tasktracker/core';
import { plainLaunch } from './cds/archive.ts';
import { localDynamoClient } from './client.ts';
import { findJava, type JavaRuntime } from './java.ts';

const READY_TIMEOUT_MS = 30_000;
/** Short: a refused connection costs next to nothing, and every poll saved is the first command's wait. */
const POLL_INTERVAL_MS = 25;
const STOP_GRACE_MS = 3_000;
const TAIL_LINES = 20;
const LOG_FILE = 'dynamodb-local.log';

export interface StartDynamoDbLocalOptions {
  /** Directory for the database file; in-memory when absent. Created if missing. */
  dbPath?: string;
  /** A free loopback port is picked when absent. */
  port?: number;
  /** Only used to build the endpoint URL: DynamoDB Local has no bind-address option. */
  host?: string;
  logger?: Logger;
  /** Leave the engine running after this process exits (output goes to a log file). */
  detached?: boolean;
  /**
   * JVM options and class path (everything before DynamoDB Local's own arguments); the default is
   * `-jar DynamoDBLocal.jar` with engineJvmOptions(). The CLI's engine passes a class-data sharing
   * launch (cds/archive.ts).
   */
  launch?: string[];
  /** The Java runtime to run it with, when the caller already found it. */
  java?: JavaRuntime;
}

export interface DynamoDbLocal {
  endpoint: string;
  port: number;
  pid: number;
  /** SIGTERM, then SIGKILL after 3 s; safe to call more than once. */
  stop(): Promise<void>;
}

/**
 * JIT flags for an engine that mostly starts, answers a few requests and idles: C1 only. On this 2-core
 * machine it halves the CPU DynamoDB Local spends getting ready (C2 compiles startup code that never
 * runs again, and tier-3 profiling slows the rest) at the cost of ~20% of its peak request rate
 * under sustained load (measured in packages/local/README.md). TASKTRACKER_ENGINE_JVM_OPTIONS replaces
 * them (an empty value gives the JVM's defaults), e.g. for a long load test.
 */
export function engineJvmOptions(env: Record<string, string | undefined> = process.env): string[] {
  const override = env.TASKTRACKER_ENGINE_JVM_OPTIONS;
  if (override !== undefined) return override.split(/\s+/).filter(Boolean);
  return ['-XX:TieredStopAtLevel=1'];
}

/** The jar ships in an npm package so that installing tasktracker is the only install step. */
export function dynamoDbLocalDir(): string {
  const manifest = createRequire(import.meta.url).resolve('amplify-dynamodb-simulator/package.json');
  return path.join(path.dirname(manifest), 'emulator');
}

/** Asks the OS for a free port; the tiny race until Java binds it is acceptable for a local tool. */
export function freePort(host = '127.0.0.1'): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, host, () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

function engineArgs(launch: string[], port: number, dbPath: string | undefined): string[] {
  return [
    ...launch,
    ...(dbPath ? ['-dbPath', dbPath] : ['-inMemory']),
    // One database whatever region or credentials a client uses, so the CLI and the user's own
    // scripts see the same tables.
    '-sharedDb',
    '-port',
    String(port),
    '-disableTelemetry',
  ];
}

/** Keeps the last lines of the engine's output so a failed start can say why. */
function captureTail(child: ChildProcess): () => Promise<string> {
  let lines: string[] = [];
  const keep = (chunk: Buffer) => {
    lines = [...lines, ...chunk.toString('utf8').split(/\r?\n/).filter(Boolean)].slice(-TAIL_LINES);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  return async () => lines.join('\n');
}

function fileTail(file: string): () => Promise<string> {
  return async () => {
    const text = await readFile(file, 'utf8').catch(() => '');
    return text.split(/\r?\n/).filter(Boolean).slice(-TAIL_LINES).join('\n');
  };
}

async function waitUntilReady(endpoint: string, exit: { reason?: string }, tail: () => Promise<string>) {
  // One attempt and a short timeout per poll: the loop is the retry policy.
  const client = localDynamoClient(endpoint, { maxAttempts: 1, requestHandler: { requestTimeout: 1_000 } });
  const deadline = Date.now() + READY_TIMEOUT_MS;
  try {
    for (;;) {
      const ready = await client.send(new ListTablesCommand({ Limit: 1 })).then(
        () => true,
        () => false,
      );
      if (ready) return;
      if (exit.reason) throw new Error(`DynamoDB Local ${exit.reason} before it was ready:\n${await tail()}`);
      if (Date.now() > deadline) {
        throw new Error(`DynamoDB Local was not ready after ${READY_TIMEOUT_MS / 1000} s:\n${await tail()}`);
      }
      await sleep(POLL_INTERVAL_MS);
    }
  } finally {
    client.destroy();
  }
}

export async function startDynamoDbLocal(options: StartDynamoDbLocalOptions = {}): Promise<DynamoDbLocal> {
  const java = options.java ?? (await findJava());
  const host = options.host ?? '127.0.0.1';
  const port = options.port ?? (await freePort());
  if (options.dbPath) await mkdir(options.dbPath, { recursive: true });
  const launch = options.launch ?? plainLaunch(dynamoDbLocalDir(), engineJvmOptions());
  const args = engineArgs(launch, port, options.dbPath);

  let child: ChildProcess;
  let tail: () => Promise<string>;
  if (options.detached) {
    const logFile = path.join(
      options.dbPath ?? tmpdir(),
      options.dbPath ? LOG_FILE : `tasktracker-${port}-${LOG_FILE}`,
    );
    const fd = openSync(logFile, 'a');
    try {
      child = spawn(java.path, args, { detached: true, stdio: ['ignore', fd, fd] });
    } finally {
      closeSync(fd);
    }
    child.unref();
    tail = fileTail(logFile);
  } else {
    child = spawn(java.path, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    tail = captureTail(child);
  }

  const exit: { reason?: string } = {};
  const exited = new Promise<void>((resolve) => {
    child.once('exit', (code, signal) => {
      exit.reason = `exited (${signal ?? `code ${code}`})`;
      resolve();
    });
    child.once('error', (error) => {
      exit.reason = `failed to start (${error.message})`;
      resolve();
    });
  });
  // 'exit' handlers must be synchronous, so the attached engine gets SIGKILL: no orphan outlives a test run.
  const killOnExit = () => child.kill('SIGKILL');
  if (!options.detached) process.on('exit', killOnExit);

  const terminate = async () => {
    process.off('exit', killOnExit);
    if (exit.reason) return;
    child.kill('SIGTERM');
    const grace = new AbortController();
    const killed = await Promise.race([
      exited.then(() => false),
      sleep(STOP_GRACE_MS, true, { signal: grace.signal }).catch(() => false),
    ]);
    grace.abort();
    if (killed) {
      child.kill('SIGKILL');
      await exited;
    }
  };
  let stopping: Promise<void> | undefined;
  const stop = () => {
    stopping ??= terminate();
    return stopping;
  };

  const endpoint = `http://${host}:${port}`;
  const started = performance.now();
  try {
    await waitUntilReady(endpoint, exit, tail);
  } catch (error) {
    await stop();
    throw error;
  }
  options.logger?.debug({ ms: Math.round(performance.now() - started), endpoint }, 'dynamodb local ready');
  return { endpoint, port, pid: child.pid ?? 0, stop };
}
