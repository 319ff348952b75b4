import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, inject } from 'vitest';

const BIN = fileURLToPath(new URL('../../dist/tt.mjs', import.meta.url));

/** No Java outside CI: the global setup printed why, and these suites skip. */
export const noEngine = !inject('dynamoEndpoint');

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
  json<T = Record<string, unknown>>(): T;
}

/**
 * Runs the real `tt` binary as a user would, with its own data directory (so its own background engine)
 * per test file; the engine is stopped and the directory removed afterwards.
 */
export function useCli() {
  let dataDir = '';
  const ready = mkdtemp(path.join(tmpdir(), 'tt-e2e-')).then((dir) => {
    dataDir = dir;
    return dir;
  });
  const run = async (
    args: string[],
    env: Record<string, string> = {},
    options: { cwd?: string; timeoutMs?: number } = {},
  ): Promise<CliResult> => {
    await ready;
    return new Promise((resolve) => {
      execFile(
        process.execPath,
        [BIN, ...args],
        {
          env: {
            ...process.env,
            TASKTRACKER_DATA_DIR: dataDir,
            // Each test file's fresh data dir would train its own class-data archive in the background
            // (a JVM and seconds of CPU each); engine-archive.test.ts and the packaging suite cover it.
            TASKTRACKER_ENGINE_CDS: 'off',
            NO_COLOR: '1',
            XDG_CONFIG_HOME: dataDir,
            ...env,
          },
          cwd: options.cwd ?? dataDir,
          timeout: options.timeoutMs ?? 60_000,
        },
        (error, stdout, stderr) => {
          const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
          resolve({ code, stdout, stderr, json: () => JSON.parse(stdout) });
        },
      );
    });
  };
  afterAll(async () => {
    if (!dataDir) return;
    await run(['local', 'stop']);
    await rm(dataDir, { recursive: true, force: true });
  });
  return { run, dataDir: () => dataDir };
}

export interface ServedApi {
  url: string;
  stop(): void;
}

/**
 * `tt local serve --port 0` as a user starts it, from the repository (so with its template), against
 * the test file's own engine; resolves with the URL from its first (--json) line.
 */
export async function serveLocally(cli: ReturnType<typeof useCli>, args: string[] = []): Promise<ServedApi> {
  const { spawn } = await import('node:child_process');
  const { createInterface } = await import('node:readline');
  await cli.run(['local', 'start']);
  const server = spawn(process.execPath, [BIN, 'local', 'serve', '--port', '0', '--json', ...args], {
    env: { ...process.env, TASKTRACKER_DATA_DIR: cli.dataDir(), TASKTRACKER_ENGINE_CDS: 'off' },
    cwd: fileURLToPath(new URL('../../../..', import.meta.url)),
  });
  const lines = createInterface({ input: server.stdout });
  const first = await new Promise<string>((resolve, reject) => {
    lines.once('line', resolve);
    server.once('exit', (code) => reject(new Error(`tt local serve exited ${code}`)));
  });
  const { url } = JSON.parse(first) as { url: string };
  return { url, stop: () => server.kill('SIGINT') };
}
