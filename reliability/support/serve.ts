import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, inject } from 'vitest';

const BIN = fileURLToPath(new URL('../../packages/cli/dist/tt.mjs', import.meta.url));
const ROOT = fileURLToPath(new URL('../..', import.meta.url));

/** The global setup could not start DynamoDB Local (no Java, outside CI only: it printed why). */
export const noEngine = !inject('dynamoEndpoint');

export interface Reply {
  status: number;
  headers: Headers;
  text: string;
  /** The body as JSON, or undefined when it is not JSON. */
  json: unknown;
}

export interface Call {
  method?: string;
  key?: string;
  headers?: Record<string, string>;
  body?: string | Buffer | object;
}

export interface Served {
  url: string;
  /** The server's own data directory (its engine, S3 files and local signing key). */
  dataDir: string;
  /** Every line the server process wrote, stdout and stderr, in arrival order. */
  output: string[];
  process: ChildProcess;
  call(path: string, init?: Call): Promise<Reply>;
  alive(): boolean;
}

/** The environment of a `tt` run on its own data directory (no class-data archive trained). */
function ttEnv(dataDir: string, env: Record<string, string>): NodeJS.ProcessEnv {
  return {
    ...process.env,
    TASKTRACKER_DATA_DIR: dataDir,
    TASKTRACKER_ENGINE_CDS: 'off',
    NO_COLOR: '1',
    ...env,
  };
}

export function runTt(dataDir: string, args: string[], env: Record<string, string> = {}): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      [BIN, ...args],
      {
        env: ttEnv(dataDir, env),
        timeout: 90_000,
      },
      (error, stdout, stderr) =>
        error ? reject(new Error(`tt ${args.join(' ')}: ${stderr}`)) : resolve(stdout),
    );
  });
}

/**
 * The real `tt local serve` as a user runs it: its own data directory, so its own background engine,
 * started for the file and stopped afterwards. `env` reaches the server process (LOG_LEVEL, ...).
 */
export function useServe(env: Record<string, string> = {}, args: string[] = []): Served {
  let dataDir = '';
  const served = { output: [] as string[] } as Served;
  beforeAll(async () => {
    if (noEngine) return;
    dataDir = await mkdtemp(path.join(tmpdir(), 'tt-reliab-'));
    // No separate `tt local start`: serve starts the engine itself, as it does for a user.
    served.dataDir = dataDir;
    const child = spawn(process.execPath, [BIN, 'local', 'serve', '--port', '0', '--json', ...args], {
      env: ttEnv(dataDir, env),
      cwd: ROOT,
    });
    createInterface({ input: child.stderr }).on('line', (line) => served.output.push(line));
    const stdout = createInterface({ input: child.stdout });
    const first = await new Promise<string>((resolve, reject) => {
      stdout.once('line', resolve);
      child.once('exit', (code) =>
        reject(new Error(`tt local serve exited ${code}: ${served.output.join('\n')}`)),
      );
    });
    stdout.on('line', (line) => served.output.push(line));
    served.output.push(first);
    served.url = (JSON.parse(first) as { url: string }).url;
    served.process = child;
    served.alive = () => child.exitCode === null && child.signalCode === null;
    served.call = (route, init = {}) => send(served.url, route, init);
  });
  afterAll(async () => {
    if (!dataDir) return;
    served.process?.kill('SIGINT');
    await runTt(dataDir, ['local', 'stop'], {}).catch(() => undefined);
    await rm(dataDir, { recursive: true, force: true });
  });
  return served;
}

export async function send(base: string, route: string, init: Call = {}): Promise<Reply> {
  const { body } = init;
  const raw =
    body === undefined || typeof body === 'string' || Buffer.isBuffer(body) ? body : JSON.stringify(body);
  const response = await fetch(`${base}${route}`, {
    method: init.method ?? 'GET',
    headers: {
      ...(init.key ? { 'x-api-key': init.key } : {}),
      ...(raw !== undefined ? { 'content-type': 'application/json' } : {}),
      ...init.headers,
    },
    ...(raw !== undefined ? { body: raw } : {}),
  });
  const text = await response.text();
  let json: unknown;
  try {
    json = text ? JSON.parse(text) : undefined;
  } catch {
    json = undefined;
  }
  return { status: response.status, headers: response.headers, text, json };
}
