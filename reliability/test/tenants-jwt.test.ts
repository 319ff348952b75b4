import {
  generateSigningKey,
  issueLocalToken,
  LOCAL_AUDIENCE,
  type LocalSigningKey,
  localSigningKey,
} from '@tasktracker/local/api';
import { beforeAll, describe, expect, it } from 'vitest';
import { noEngine, type Reply, runTt, useServe } from '../support/serve.ts';

/**
 * Tenant isolation when the user is a token's `sub` (`tt local serve --auth jwt`, as AuthMode cognito
 * deploys): a token the server's key did not sign, an expired one, one for another audience or issuer,
 * and none at all are each API Gateway's 401 before any handler runs; another user's valid token sees
 * none of alice's data. The API-key variant of every route is tenants.test.ts.
 */
interface Task {
  taskId: string;
  title: string;
}
const data = <T>(reply: Reply) => (reply.json as { data: T }).data;

describe.skipIf(noEngine)('tenant isolation with bearer tokens (tt local serve --auth jwt)', () => {
  const served = useServe({}, ['--auth', 'jwt']);
  let key: LocalSigningKey;
  let alice = '';
  let bob = '';
  const aliceTasks: string[] = [];
  const bearer = (token: string) => ({ headers: { authorization: `Bearer ${token}` } });

  beforeAll(async () => {
    if (noEngine) return;
    // alice's token as a user gets one: from the CLI, signed with the data directory's key.
    const printed = JSON.parse(
      await runTt(served.dataDir, ['local', 'token', '--user', 'alice', '--expires', '10m', '--json']),
    ) as { token: string; user: string };
    expect(printed.user).toBe('alice');
    alice = printed.token;
    key = await localSigningKey(served.dataDir);
    bob = await issueLocalToken(key, { user: 'bob' });
    for (const title of ['alice plan 1', 'alice plan 2']) {
      const created = await served.call('/tasks', { method: 'POST', body: { title }, ...bearer(alice) });
      expect(created.status, created.text).toBe(201);
      aliceTasks.push(data<Task>(created).taskId);
    }
  });

  it('a token names its user: alice sees exactly her tasks, and they are keyed by her sub', async () => {
    const list = await served.call('/tasks', bearer(alice));
    expect(list.status).toBe(200);
    expect(
      data<Task[]>(list)
        .map((task) => task.taskId)
        .sort(),
    ).toEqual([...aliceTasks].sort());
    // The CLI's direct-DynamoDB commands reach the same data with --user and the token's sub.
    const cli = JSON.parse(await runTt(served.dataDir, ['tasks', 'list', '--user', 'alice', '--json'])) as
      | { items?: Task[] }
      | Task[];
    const items = Array.isArray(cli) ? cli : (cli.items ?? []);
    expect(items.map((task) => task.taskId).sort()).toEqual([...aliceTasks].sort());
  });

  it("another user's valid token sees nothing of alice's: an empty list, 404 for her ids", async () => {
    const list = await served.call('/tasks', bearer(bob));
    expect(list.status).toBe(200);
    expect(data<Task[]>(list)).toEqual([]);
    for (const id of aliceTasks) {
      const reply = await served.call(`/tasks/${id}`, bearer(bob));
      expect(reply.status).toBe(404);
      expect(reply.text).not.toContain('alice plan');
      const update = await served.call(`/tasks/${id}`, {
        method: 'PUT',
        body: { title: 'bob' },
        ...bearer(bob),
      });
      expect(update.status).toBe(404);
    }
    const export_ = await served.call('/tasks/export', bearer(bob));
    expect(export_.text).not.toContain('alice plan');
  });

  const refused: [string, () => Promise<Record<string, string>>][] = [
    ['no token', async () => ({})],
    ['an API key instead of a token', async () => ({ 'x-api-key': 'alice-key' })],
    [
      'a token signed with another key (forged)',
      async () => ({
        authorization: `Bearer ${await issueLocalToken(await generateSigningKey(), { user: 'alice' })}`,
      }),
    ],
    [
      'an expired token',
      async () => ({
        authorization: `Bearer ${await issueLocalToken(key, { user: 'alice', expiresIn: -60 })}`,
      }),
    ],
    [
      'a token for another audience',
      async () => ({
        authorization: `Bearer ${await issueLocalToken(key, { user: 'alice', audience: `${LOCAL_AUDIENCE}-other` })}`,
      }),
    ],
    [
      'a token of another issuer',
      async () => ({
        authorization: `Bearer ${await issueLocalToken(key, { user: 'alice', issuer: 'https://evil.example/pool' })}`,
      }),
    ],
    [
      'a token with its payload edited to name alice',
      async () => {
        const [header, , signature] = bob.split('.');
        const payload = JSON.parse(Buffer.from(bob.split('.')[1] ?? '', 'base64url').toString('utf8'));
        const edited = Buffer.from(JSON.stringify({ ...payload, sub: 'alice' })).toString('base64url');
        return { authorization: `Bearer ${header}.${edited}.${signature}` };
      },
    ],
    ['no JWT at all', async () => ({ authorization: 'Bearer not-a-jwt' })],
  ];
  for (const [name, headers] of refused)
    it(`${name}: 401 {"message":"Unauthorized"} with a correlation id, on reads and writes`, async () => {
      const sent = await headers();
      for (const [method, path, body] of [
        ['GET', '/tasks', undefined],
        ['GET', `/tasks/${aliceTasks[0]}`, undefined],
        ['POST', '/tasks', { title: 'intruder' }],
        ['DELETE', `/tasks/${aliceTasks[1]}`, undefined],
      ] as const) {
        const reply = await served.call(path, { method, headers: sent, ...(body ? { body } : {}) });
        expect([reply.status, reply.json], `${method} ${path}`).toEqual([401, { message: 'Unauthorized' }]);
        expect(reply.headers.get('x-correlation-id')).toMatch(/^[0-9a-f-]{36}$/);
      }
    });

  it('health stays public, and nothing refused above changed alice’s tasks', async () => {
    expect((await served.call('/health')).status).toBe(200);
    const list = await served.call('/tasks', bearer(alice));
    expect(
      data<Task[]>(list)
        .map((task) => task.title)
        .sort(),
    ).toEqual(['alice plan 1', 'alice plan 2']);
  });
});
