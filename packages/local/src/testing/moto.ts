import { type ChildProcess, spawn } from 'node:child_process';
import { freePort } from '../engine.ts';
import { pythonTool } from './python-tools.ts';

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

export interface MotoServer {
  /** http://127.0.0.1:<port> */
  endpoint: string;
  /** Forgets every resource (moto's own reset API): a fresh account without a restart. */
  reset(): Promise<void>;
  stop(): void;
}

/** A moto server on a free loopback port, from the repository's venv (installed on first use). */
export async function startMotoServer(binary: string): Promise<MotoServer> {
  const port = await freePort();
  const child = spawn(binary, ['-H', '127.0.0.1', '-p', String(port)], { stdio: 'ignore' });
  const endpoint = `http://127.0.0.1:${port}`;
  try {
    await waitUntilUp(endpoint, child);
  } catch (error) {
    child.kill('SIGKILL');
    throw error;
  }
  return {
    endpoint,
    reset: async () => {
      await fetch(`${endpoint}/moto-api/reset`, { method: 'POST' });
    },
    stop: () => child.kill('SIGTERM'),
  };
}

/** The moto_server binary, or undefined (outside CI, with the reason printed) when it cannot be had. */
export const findMotoServer = () => pythonTool('moto_server');
