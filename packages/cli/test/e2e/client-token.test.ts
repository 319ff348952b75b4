import { type ChildProcess, spawn } from 'node:child_process';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { createTaskTrackerClient, isTaskTrackerApiError } from '@tasktracker/core/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { noEngine, useCli } from './harness.ts';

const ROOT = fileURLToPath(new URL('../../../../', import.meta.url));
const BIN = path.join(ROOT, 'packages/cli/dist/tt.mjs');

/** The typed client with a token provider against `tt local serve --auth both` (AuthMode both). */
describe.skipIf(noEngine)('the typed client with a bearer token (tt local serve --auth both)', () => {
  const cli = useCli();
  let server: ChildProcess;
  let url = '';
  let token = '';

  beforeAll(async () => {
    if (noEngine) return;
    await cli.run(['local', 'start']);
    server = spawn(process.execPath, [BIN, 'local', 'serve', '--port', '0', '--json', '--auth', 'both'], {
      env: { ...process.env, TASKTRACKER_DATA_DIR: cli.dataDir(), TASKTRACKER_ENGINE_CDS: 'off' },
      cwd: ROOT,
    });
    const first = await new Promise<string>((resolve) =>
      createInterface({ input: server.stdout! }).once('line', resolve),
    );
    const served = JSON.parse(first) as { url: string; auth: string };
    expect(served.auth).toBe('both');
    url = served.url;
    const printed = await cli.run(['local', 'token', '--user', 'alice', '--json']);
    expect(printed.code, printed.stderr).toBe(0);
    token = printed.json<{ token: string }>().token;
  }, 90_000);
  afterAll(() => {
    server?.kill('SIGINT');
  });

  it('asks the provider before each request; the token names the user, the key rides along', async () => {
    let asked = 0;
    const client = createTaskTrackerClient({
      baseUrl: url,
      apiKey: 'metering-key',
      token: async () => {
        asked++;
        return token;
      },
    });
    const created = await client.tasks.create({ title: 'from a token' });
    expect(created.userId).toBe('alice');
    expect((await client.tasks.get(created.taskId)).title).toBe('from a token');
    expect(asked).toBe(2);
    // The CLI's direct-DynamoDB commands reach it with --user and the token's sub.
    const listed = await cli.run(['tasks', 'list', '--user', 'alice', '--json']);
    expect(listed.stdout).toContain(created.taskId);
  });

  it('a refused token is UNAUTHORIZED (401) to the client, and no key is 403 even with a good token', async () => {
    const forged = createTaskTrackerClient({
      baseUrl: url,
      apiKey: 'k',
      token: `${token.split('.').slice(0, 2).join('.')}.${'A'.repeat(86)}`,
      retry: false,
    });
    const refused = await forged.tasks.list().catch((error: unknown) => error);
    expect(isTaskTrackerApiError(refused) && [refused.code, refused.status]).toEqual(['UNAUTHORIZED', 401]);
    const keyless = createTaskTrackerClient({ baseUrl: url, token, retry: false });
    const forbidden = await keyless.tasks.list().catch((error: unknown) => error);
    expect(isTaskTrackerApiError(forbidden) && forbidden.status).toBe(403);
  });
});
