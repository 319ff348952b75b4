import { findMotoServer, type MotoServer, startMotoServer } from '@tasktracker/local/testing';
import { afterAll, beforeAll } from 'vitest';

/** The moto server binary, or undefined (outside CI, with the reason printed) when it cannot be had. */
export const motoServer = await findMotoServer();

/** One moto server on a free loopback port for the test file; `endpoint` is set once it answers. */
export function useMoto() {
  const state = { endpoint: '' };
  let server: MotoServer | undefined;
  beforeAll(async () => {
    if (!motoServer) return;
    server = await startMotoServer(motoServer);
    state.endpoint = server.endpoint;
  }, 60_000);
  afterAll(() => {
    server?.stop();
  });
  return state;
}
