import type { BulkResult, Task } from '@tasktracker/core';
import { describe, expect, it } from 'vitest';
import { invoke } from '../support/events.ts';
import { noEngine } from '../support/stack.ts';
import { useTaskApi } from '../support/task-api.ts';

const { h, createTask } = useTaskApi();

describe.skipIf(noEngine)('task creation, identity and input checks against DynamoDB Local', () => {
  it('POST /tasks creates a task for the API key that called, 201 with the correlation id echoed', async () => {
    const reply = await createTask(
      { title: 'Buy milk', priority: 'high', dueDate: '2026-12-01' },
      { headers: { 'X-Correlation-Id': 'corr-123' } },
    );
    expect(reply.status).toBe(201);
    expect(reply.headers['X-Correlation-Id']).toBe('corr-123');
    expect(reply.json.data).toMatchObject({
      title: 'Buy milk',
      priority: 'high',
      userId: 'key-alice',
      version: 1,
    });
    expect(reply.headers['Idempotent-Replayed']).toBeUndefined();
  });

  it('generates a correlation id when none (or a malformed one) is sent', async () => {
    const reply = await createTask({ title: 'x' }, { headers: { 'x-correlation-id': 'bad id with spaces' } });
    expect(reply.headers['X-Correlation-Id']).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('replays a POST with the same Idempotency-Key and refuses the key with another payload (422)', async () => {
    const headers = { 'Idempotency-Key': 'order-42' };
    const first = await createTask({ title: 'Once only' }, { headers });
    const again = await createTask({ title: 'Once only' }, { headers });
    expect(again.status).toBe(201);
    expect(again.headers['Idempotent-Replayed']).toBe('true');
    expect(again.json.data.taskId).toBe(first.json.data.taskId);
    const reused = await createTask({ title: 'Something else' }, { headers });
    expect(reused.status).toBe(422);
    expect(reused.json.error.code).toBe('IDEMPOTENCY_KEY_REUSED');
    const list = await invoke<Task[]>(h()['tasks/list'], {
      method: 'GET',
      resource: '/tasks',
      query: { q: 'once only' },
    });
    expect(list.json.data).toHaveLength(1);
  });

  it('keeps idempotency keys per user: the same key from another API key creates its own task', async () => {
    const headers = { 'Idempotency-Key': 'shared-key' };
    const alice = await createTask({ title: 'Mine' }, { headers });
    const bob = await createTask({ title: 'Mine' }, { headers, apiKeyId: 'key-bob' });
    expect(bob.headers['Idempotent-Replayed']).toBeUndefined();
    expect(bob.json.data.userId).toBe('key-bob');
    expect(bob.json.data.taskId).not.toBe(alice.json.data.taskId);
  });

  it('rejects a malformed Idempotency-Key with 400 naming the header', async () => {
    const reply = await createTask(
      { title: 'x' },
      { headers: { 'Idempotency-Key': 'spaces are not allowed' } },
    );
    expect(reply.status).toBe(400);
    expect(reply.json.error.details).toEqual([
      expect.objectContaining({ path: ['headers', 'Idempotency-Key'] }),
    ]);
  });

  it('answers 400 with every offending path for an invalid body', async () => {
    const reply = await createTask({ title: '', priority: 'urgent', extra: 1 });
    expect(reply.status).toBe(400);
    expect(reply.json.error.code).toBe('VALIDATION_ERROR');
    const paths = (reply.json.error.details as { path: string[] }[]).map((detail) => detail.path.join('.'));
    expect(paths).toEqual(expect.arrayContaining(['title', 'priority']));
    expect(reply.json.error.correlationId).toBe(reply.headers['X-Correlation-Id']);
  });

  it('answers 400 for malformed JSON and 413 for a body over 1 MB', async () => {
    const malformed = await invoke(h()['tasks/create'], {
      method: 'POST',
      resource: '/tasks',
      rawBody: '{"title": "x",',
    });
    expect(malformed.status).toBe(400);
    expect(malformed.json.error.message).toMatch(/not valid JSON/);
    const huge = JSON.stringify({ title: 'x', description: 'y'.repeat(1_100_000) });
    const oversize = await invoke(h()['tasks/create'], { method: 'POST', resource: '/tasks', rawBody: huge });
    expect(oversize.status).toBe(413);
    expect(oversize.json.error.code).toBe('PAYLOAD_TOO_LARGE');
    const encoded = Buffer.from(huge).toString('base64');
    const oversize64 = await invoke(h()['tasks/create'], {
      method: 'POST',
      resource: '/tasks',
      rawBody: encoded,
      isBase64Encoded: true,
    });
    expect(oversize64.status).toBe(413);
  });

  it('accepts a base64-encoded body (binary media types on the API)', async () => {
    const rawBody = Buffer.from(JSON.stringify({ title: 'Encoded ✓' })).toString('base64');
    const reply = await invoke<Task>(h()['tasks/create'], {
      method: 'POST',
      resource: '/tasks',
      rawBody,
      isBase64Encoded: true,
    });
    expect(reply.status).toBe(201);
    expect(reply.json.data.title).toBe('Encoded ✓');
  });

  it('answers 401 without an identity and takes Cognito claims.sub or an authorizer principalId first', async () => {
    const anonymous = await createTask({ title: 'x' }, { apiKeyId: null } as never);
    expect(anonymous.status).toBe(401);
    expect(anonymous.json.error.code).toBe('UNAUTHORIZED');
    const cognito = await invoke<Task>(h()['tasks/create'], {
      method: 'POST',
      resource: '/tasks',
      body: { title: 'from cognito' },
      authorizer: { claims: { sub: 'c0ffee-sub', email: 'a@example.com' } },
    });
    expect(cognito.json.data.userId).toBe('c0ffee-sub');
    const lambdaAuth = await invoke<Task>(h()['tasks/create'], {
      method: 'POST',
      resource: '/tasks',
      body: { title: 'from authorizer' },
      authorizer: { principalId: 'principal-7', integrationLatency: 3 },
    });
    expect(lambdaAuth.json.data.userId).toBe('principal-7');
  });

  it('AuthMode both: the token’s sub names the user, the API key only meters (two users, one key)', async () => {
    const asUser = (sub: string) => ({ apiKeyId: 'shared-key', authorizer: { claims: { sub } } });
    const mine = await invoke<Task>(h()['tasks/create'], {
      method: 'POST',
      resource: '/tasks',
      body: { title: 'token user task' },
      ...asUser('sub-one'),
    });
    expect(mine.json.data.userId).toBe('sub-one');
    const other = await invoke(h()['tasks/get'], {
      method: 'GET',
      resource: '/tasks/{id}',
      pathParameters: { id: mine.json.data.taskId },
      ...asUser('sub-two'),
    });
    expect(other.status).toBe(404);
    const byKeyAlone = await invoke(h()['tasks/get'], {
      method: 'GET',
      resource: '/tasks/{id}',
      pathParameters: { id: mine.json.data.taskId },
      apiKeyId: 'shared-key',
    });
    expect(byKeyAlone.status).toBe(404);
  });

  it('isolates two API keys: neither can read, change, list or delete the other one’s tasks', async () => {
    const alice = (await createTask({ title: 'Alice private' })).json.data;
    const asBob = { apiKeyId: 'key-bob', pathParameters: { id: alice.taskId } };
    expect(
      (await invoke(h()['tasks/get'], { method: 'GET', resource: '/tasks/{id}', ...asBob })).status,
    ).toBe(404);
    const put = await invoke(h()['tasks/update'], {
      method: 'PUT',
      resource: '/tasks/{id}',
      body: { title: 'hacked' },
      ...asBob,
    });
    expect(put.status).toBe(404);
    const del = await invoke(h()['tasks/delete'], { method: 'DELETE', resource: '/tasks/{id}', ...asBob });
    expect(del.status).toBe(404);
    const list = await invoke<Task[]>(h()['tasks/list'], {
      method: 'GET',
      resource: '/tasks',
      apiKeyId: 'key-bob',
      query: { q: 'alice' },
    });
    expect(list.json.data).toEqual([]);
    const bulk = await invoke<BulkResult>(h()['tasks/bulk'], {
      method: 'POST',
      resource: '/tasks/bulk',
      apiKeyId: 'key-bob',
      body: { action: 'delete', ids: [alice.taskId] },
    });
    expect(bulk.json.data.results).toEqual([{ id: alice.taskId, status: 'not_found' }]);
    const mine = await invoke<Task>(h()['tasks/get'], {
      method: 'GET',
      resource: '/tasks/{id}',
      pathParameters: { id: alice.taskId },
    });
    expect(mine.json.data.title).toBe('Alice private');
  });
});
