import { type ChildProcess, spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { afterAll, beforeAll } from 'vitest';
import { pythonTool } from './python-tools.ts';

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

async function waitUntilUp(endpoint: string, child: ChildProcess): Promise<void> {
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`moto_server exited with ${child.exitCode}`);
    try {
      const response = await fetch(`${endpoint}/moto-api/`);
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error('moto_server did not answer within 30 s');
}

/** The moto server binary, or undefined (outside CI, with the reason printed) when it cannot be had. */
export const motoServer = await pythonTool('moto_server');

/** One moto server on a free loopback port for the test file; `endpoint` is set once it answers. */
export function useMoto() {
  const state = { endpoint: '' };
  let child: ChildProcess | undefined;
  beforeAll(async () => {
    if (!motoServer) return;
    const port = await freePort();
    child = spawn(motoServer, ['-H', '127.0.0.1', '-p', String(port)], { stdio: 'ignore' });
    const endpoint = `http://127.0.0.1:${port}`;
    await waitUntilUp(endpoint, child);
    state.endpoint = endpoint;
  }, 60_000);
  afterAll(() => {
    child?.kill('SIGTERM');
  });
  return state;
}
