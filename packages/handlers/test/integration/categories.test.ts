import type { Category, Task } from '@tasktracker/core';
import { describe, expect, it } from 'vitest';
import { invoke } from '../support/events.ts';
import { noEngine, useHandlers } from '../support/stack.ts';

const api = useHandlers([
  'categories/list',
  'categories/create',
  'categories/get',
  'categories/update',
  'categories/delete',
  'tasks/create',
  'tasks/get',
] as const);
const h = () => api.handlers;
const user = { apiKeyId: 'key-categories' };

const createCategory = (body: unknown, headers: Record<string, string> = {}) =>
  invoke<Category>(h()['categories/create'], {
    method: 'POST',
    resource: '/categories',
    body,
    headers,
    ...user,
  });
const at = (id: string) => ({ resource: '/categories/{id}', pathParameters: { id }, ...user });

describe.skipIf(noEngine)('category routes against DynamoDB Local', () => {
  it('creates (201), replays with a key, and refuses a second category of the same name (409)', async () => {
    const created = await createCategory({ name: 'Work', color: '#1E90FF' }, { 'Idempotency-Key': 'cat-1' });
    expect(created.status).toBe(201);
    expect(created.json.data).toMatchObject({ name: 'Work', color: '#1E90FF', taskCount: 0 });
    const replay = await createCategory({ name: 'Work', color: '#1E90FF' }, { 'Idempotency-Key': 'cat-1' });
    expect(replay.headers['Idempotent-Replayed']).toBe('true');
    expect(replay.json.data.categoryId).toBe(created.json.data.categoryId);
    const taken = await createCategory({ name: 'work' });
    expect(taken.status).toBe(409);
    expect(taken.json.error.code).toBe('CATEGORY_NAME_TAKEN');
    const invalid = await createCategory({ name: 'x', color: 'blue' });
    expect(invalid.status).toBe(400);
    expect(invalid.json.error.details).toEqual([expect.objectContaining({ path: ['color'] })]);
  });

  it('lists by name with nextCursor null, gets one, and 404s an unknown or malformed id', async () => {
    await createCategory({ name: 'Alpha' });
    const list = await invoke<Category[]>(h()['categories/list'], {
      method: 'GET',
      resource: '/categories',
      ...user,
    });
    expect(list.status).toBe(200);
    expect(list.json.nextCursor).toBeNull();
    const names = list.json.data.map((category) => category.name);
    expect(names).toEqual([...names].sort((a, b) => a.localeCompare(b)));
    const first = list.json.data[0]!;
    const got = await invoke<Category>(h()['categories/get'], { method: 'GET', ...at(first.categoryId) });
    expect(got.json.data.name).toBe(first.name);
    expect(
      (await invoke(h()['categories/get'], { method: 'GET', ...at('01JZZZZZZZZZZZZZZZZZZZZZZZ') })).status,
    ).toBe(404);
    expect((await invoke(h()['categories/get'], { method: 'GET', ...at('not-an-id') })).status).toBe(404);
    const other = await invoke<Category[]>(h()['categories/list'], {
      method: 'GET',
      resource: '/categories',
      apiKeyId: 'key-nobody',
    });
    expect(other.json.data).toEqual([]);
  });

  it('updates with If-Match (stale is 409) and refuses an empty update (400)', async () => {
    const category = (await createCategory({ name: 'Errands' })).json.data;
    const renamed = await invoke<Category>(h()['categories/update'], {
      method: 'PUT',
      ...at(category.categoryId),
      body: { name: 'Chores' },
      headers: { 'If-Match': '"1"' },
    });
    expect(renamed.status).toBe(200);
    expect(renamed.json.data).toMatchObject({ name: 'Chores', version: 2 });
    const stale = await invoke(h()['categories/update'], {
      method: 'PUT',
      ...at(category.categoryId),
      body: { name: 'x', expectedVersion: 1 },
    });
    expect(stale.status).toBe(409);
    expect(
      (await invoke(h()['categories/update'], { method: 'PUT', ...at(category.categoryId), body: {} }))
        .status,
    ).toBe(400);
  });

  it('refuses to delete a non-empty category (409) unless told to uncategorise or reassign its tasks', async () => {
    const full = (await createCategory({ name: 'Full' })).json.data;
    const target = (await createCategory({ name: 'Target' })).json.data;
    const task = await invoke<Task>(h()['tasks/create'], {
      method: 'POST',
      resource: '/tasks',
      body: { title: 'inside', categoryId: full.categoryId },
      ...user,
    });
    const refused = await invoke(h()['categories/delete'], { method: 'DELETE', ...at(full.categoryId) });
    expect(refused.status).toBe(409);
    expect(refused.json.error.code).toBe('CATEGORY_NOT_EMPTY');
    const both = await invoke(h()['categories/delete'], {
      method: 'DELETE',
      ...at(full.categoryId),
      query: { reassignTo: target.categoryId, uncategorize: 'true' },
    });
    expect(both.status).toBe(400);
    const moved = await invoke(h()['categories/delete'], {
      method: 'DELETE',
      ...at(full.categoryId),
      query: { reassignTo: target.categoryId },
    });
    expect(moved.status).toBe(200);
    expect(moved.json.data).toEqual({ categoryId: full.categoryId, deleted: true, movedTasks: 1 });
    const after = await invoke<Task>(h()['tasks/get'], {
      method: 'GET',
      resource: '/tasks/{id}',
      pathParameters: { id: task.json.data.taskId },
      ...user,
    });
    expect(after.json.data.categoryId).toBe(target.categoryId);
    const gone = await invoke(h()['categories/delete'], { method: 'DELETE', ...at(full.categoryId) });
    expect(gone.status).toBe(404);
  });
});
