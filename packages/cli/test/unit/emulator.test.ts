import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { LOCALSTACK_LAMBDA_ENDPOINT } from '../../src/runtime/aws.ts';
import { detectEmulator, emulatorDefaults } from '../../src/runtime/emulator.ts';

/** A loopback server answering every path with `reply(path)`: what each emulator says to our probe. */
async function serve(reply: (path: string) => { status: number; body: string }): Promise<string> {
  const server = createServer((request, response) => {
    const { status, body } = reply(request.url ?? '/');
    response.writeHead(status, { 'content-type': 'application/json' }).end(body);
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}
const servers: Server[] = [];
afterEach(() => {
  for (const server of servers.splice(0)) server.close();
});

describe('tt deploy --target localstack: which emulator', () => {
  it('knows ministack by /_ministack/health, and leaves its functions the endpoint ministack gives them', async () => {
    const endpoint = await serve((path) =>
      path === '/_ministack/health'
        ? { status: 200, body: JSON.stringify({ services: { lambda: 'available' }, version: '1.5.33' }) }
        : { status: 404, body: '{}' },
    );
    const emulator = await detectEmulator(endpoint);
    expect(emulator).toEqual({ name: 'ministack', version: '1.5.33' });
    const defaults = emulatorDefaults(emulator);
    expect(defaults.parameters).toEqual({ TableThrottleAlarms: 'false' });
    expect(defaults.note).toContain('metric-math alarms');
  });

  it("takes anything else for LocalStack, whose functions reach it by LocalStack's DNS name", async () => {
    // LocalStack answers its own health path and, for an unknown one, an S3 error (a bucket named so).
    const localstack = await serve((path) =>
      path === '/_localstack/health'
        ? { status: 200, body: JSON.stringify({ services: { lambda: 'running' }, version: '4.14.0' }) }
        : { status: 404, body: '<Error><Code>NoSuchBucket</Code></Error>' },
    );
    const healthOfAnotherShape = await serve(() => ({ status: 200, body: '{"status":"ok"}' }));
    for (const endpoint of [localstack, healthOfAnotherShape, 'http://127.0.0.1:9']) {
      const emulator = await detectEmulator(endpoint, 500);
      expect(emulator).toEqual({ name: 'localstack' });
      expect(emulatorDefaults(emulator)).toEqual({
        parameters: { ServiceEndpoint: LOCALSTACK_LAMBDA_ENDPOINT },
      });
    }
  });
});
