import type { Category, Task } from '@tasktracker/core';
import { describe, expect, it } from 'vitest';
import { type EventOptions, invoke } from '../support/events.ts';
import { ALLOWED_ORIGIN, noEngine, useHandlers } from '../support/stack.ts';

const api = useHandlers([
  'tasks/create',
  'tasks/list',
  'tasks/get',
  'tasks/update',
  'tasks/delete',
  'categories/create',
  'categories/list',
  'categories/get',
  'categories/update',
  'categories/delete',
  'health/health',
  'cors/preflight',
] as const);
const h = () => api.handlers;
type Name = keyof typeof api.handlers;

const as = (apiKeyId: string) => {
  const call = <T = Record<string, unknown>>(name: Name, options: Omit<EventOptions, 'method'>) => {
    const method = name.endsWith('create')
      ? 'POST'
      : name.endsWith('update')
        ? 'PUT'
        : name.endsWith('delete')
          ? 'DELETE'
          : 'GET';
    return invoke<T>(h()[name], { method, apiKeyId, ...options });
  };
  return {
    call,
    createTask: async (body: object) =>
      (await call<Task>('tasks/create', { resource: '/tasks', body })).json.data,
    createCategory: async (body: object) =>
      (await call<Category>('categories/create', { resource: '/categories', body })).json.data,
    task: (id: string, headers: Record<string, string> = {}) =>
      call<Task>('tasks/get', { resource: '/tasks/{id}', pathParameters: { id }, headers }),
    category: (id: string, headers: Record<string, string> = {}) =>
      call<Category>('categories/get', { resource: '/categories/{id}', pathParameters: { id }, headers }),
    updateTask: (id: string, body: object, headers: Record<string, string> = {}) =>
      call<Task>('tasks/update', { resource: '/tasks/{id}', pathParameters: { id }, body, headers }),
  };
};

describe.skipIf(noEngine)('ETag, If-None-Match and If-Match through the handlers', () => {
  it('GET /tasks/{id} tags the task "<id>:<version>" and answers a matching If-None-Match with an empty 304', async () => {
    const alice = as('key-etag-get');
    const task = await alice.createTask({ title: 'cache me' });
    const first = await alice.task(task.taskId, { Origin: ALLOWED_ORIGIN });
    expect(first.status).toBe(200);
    expect(first.headers.ETag).toBe(`"${task.taskId}:1"`);
    expect(first.headers['Cache-Control']).toBe('private, no-cache');

    const again = await alice.task(task.taskId, {
      'If-None-Match': first.headers.ETag!,
      Origin: ALLOWED_ORIGIN,
    });
    expect(again.status).toBe(304);
    expect(again.body).toBe('');
    expect(again.headers).toMatchObject({
      ETag: first.headers.ETag,
      'Cache-Control': 'private, no-cache',
      'X-Correlation-Id': expect.any(String),
      'Access-Control-Allow-Origin': ALLOWED_ORIGIN,
      'Access-Control-Expose-Headers': expect.stringContaining('ETag'),
    });
    expect(again.headers['Content-Type']).toBeUndefined();

    // Weak comparison, lists and * (RFC 9110 13.1.2); an unreadable header never makes a 304.
    for (const header of [`W/${first.headers.ETag}`, `"other", ${first.headers.ETag}`, '*']) {
      expect((await alice.task(task.taskId, { 'If-None-Match': header })).status, header).toBe(304);
    }
    for (const header of ['"other"', first.headers.ETag!.slice(1, -1), '1']) {
      expect((await alice.task(task.taskId, { 'If-None-Match': header })).status, header).toBe(200);
    }

    await alice.updateTask(task.taskId, { title: 'changed' });
    const changed = await alice.task(task.taskId, { 'If-None-Match': first.headers.ETag! });
    expect(changed.status).toBe(200);
    expect(changed.json.data.title).toBe('changed');
    expect(changed.headers.ETag).toBe(`"${task.taskId}:2"`);
  });

  it('ignores If-None-Match on errors: another user’s task is a 404 whatever the tag', async () => {
    const alice = as('key-etag-owner');
    const task = await alice.createTask({ title: 'private' });
    const tag = (await alice.task(task.taskId)).headers.ETag!;
    const bob = await as('key-etag-other').task(task.taskId, { 'If-None-Match': tag });
    expect(bob.status).toBe(404);
    expect(bob.headers['Cache-Control']).toBe('private, no-cache');
    expect(bob.headers.ETag).toBeUndefined();
  });

  it('tags a category with its version and taskCount: a task joining it changes the tag, not the version', async () => {
    const carol = as('key-etag-category');
    const home = await carol.createCategory({ name: 'Home' });
    const before = await carol.category(home.categoryId);
    expect(before.headers.ETag).toBe(`"${home.categoryId}:1:0"`);
    expect((await carol.category(home.categoryId, { 'If-None-Match': before.headers.ETag! })).status).toBe(
      304,
    );
    await carol.createTask({ title: 'dishes', categoryId: home.categoryId });
    const after = await carol.category(home.categoryId, { 'If-None-Match': before.headers.ETag! });
    expect(after.status).toBe(200);
    expect(after.json.data).toMatchObject({ version: 1, taskCount: 1 });
    expect(after.headers.ETag).toBe(`"${home.categoryId}:1:1"`);
  });

  it('tags list pages with a hash of the page: stable while nothing changes, new after a write or on another page', async () => {
    const dave = as('key-etag-list');
    for (const title of ['a', 'b', 'c']) await dave.createTask({ title });
    const page = (query: Record<string, string>, headers: Record<string, string> = {}) =>
      dave.call<Task[]>('tasks/list', { resource: '/tasks', query, headers });
    const first = await page({ limit: '2' });
    expect(first.headers.ETag).toMatch(/^"[A-Za-z0-9_-]{22}"$/);
    expect(first.headers['Cache-Control']).toBe('private, no-cache');
    expect((await page({ limit: '2' })).headers.ETag).toBe(first.headers.ETag);
    const unchanged = await page({ limit: '2' }, { 'If-None-Match': first.headers.ETag! });
    expect(unchanged.status).toBe(304);
    expect(unchanged.body).toBe('');
    const second = await page({ limit: '2', cursor: first.json.nextCursor! });
    expect(second.headers.ETag).not.toBe(first.headers.ETag);
    await dave.createTask({ title: 'd' });
    const changed = await page({ limit: '2' }, { 'If-None-Match': first.headers.ETag! });
    expect(changed.status).toBe(200);
    expect(changed.json.data[0]?.title).toBe('d');

    await dave.createCategory({ name: 'Only' });
    const categories = await dave.call('categories/list', { resource: '/categories' });
    expect(categories.headers.ETag).toMatch(/^"[A-Za-z0-9_-]{22}"$/);
    const cached = await dave.call('categories/list', {
      resource: '/categories',
      headers: { 'If-None-Match': categories.headers.ETag! },
    });
    expect(cached.status).toBe(304);
  });

  it('PUT /tasks/{id} takes If-Match as the ETag or the bare version; a stale one is 412, a stale body version 409', async () => {
    const erin = as('key-if-match-task');
    const task = await erin.createTask({ title: 'v1' });
    const tag = (await erin.task(task.taskId)).headers.ETag!;
    const updated = await erin.updateTask(task.taskId, { title: 'v2' }, { 'If-Match': tag });
    expect(updated.status).toBe(200);
    expect(updated.json.data.version).toBe(2);
    // The stored task is not the body sent: no ETag on a PUT's answer (RFC 9110 9.3.4).
    expect(updated.headers.ETag).toBeUndefined();

    const stale = await erin.updateTask(task.taskId, { title: 'late' }, { 'If-Match': tag });
    expect(stale.status).toBe(412);
    expect(stale.json.error).toMatchObject({
      code: 'PRECONDITION_FAILED',
      details: { expectedVersion: 1, currentVersion: 2 },
    });
    expect((await erin.updateTask(task.taskId, { title: 'v3' }, { 'If-Match': '2' })).status).toBe(200);
    expect((await erin.updateTask(task.taskId, { title: 'x' }, { 'If-Match': '"2"' })).status).toBe(412);
    const staleBody = await erin.updateTask(task.taskId, { title: 'x', expectedVersion: 2 });
    expect(staleBody.status).toBe(409);
    expect(staleBody.json.error.code).toBe('VERSION_CONFLICT');

    const current = (await erin.task(task.taskId)).headers.ETag!;
    const other = await erin.createTask({ title: 'another, also at version 1' });
    const otherTag = (await erin.task(other.taskId)).headers.ETag!;
    const refusals: Record<string, number> = {
      [otherTag.replace(':1"', ':3"')]: 412, // another task's tag at this version: never a match by chance
      [`W/${current}`]: 412, // If-Match compares strongly (RFC 9110 13.1.1)
      [`${current.slice(0, -2)}03"`]: 412, // not our spelling of the tag
      '0': 400,
      abc: 400,
      [`${current} junk`]: 400,
    };
    for (const [header, status] of Object.entries(refusals)) {
      expect(
        (await erin.updateTask(task.taskId, { title: 'x' }, { 'If-Match': header })).status,
        header,
      ).toBe(status);
    }
    const listed = await erin.updateTask(task.taskId, { title: 'v4' }, { 'If-Match': `"nope", ${current}` });
    expect(listed.status).toBe(200);
    expect((await erin.updateTask(task.taskId, { title: 'v5' }, { 'If-Match': '*' })).status).toBe(200);
    const agree = await erin.updateTask(
      task.taskId,
      { title: 'v6', expectedVersion: 5 },
      { 'If-Match': '5' },
    );
    expect(agree.status).toBe(200);
    const disagree = await erin.updateTask(
      task.taskId,
      { title: 'x', expectedVersion: 7 },
      { 'If-Match': '6' },
    );
    expect(disagree.status).toBe(400);
  });

  it('answers 404, not 412, for a task that is not there, whatever If-Match says', async () => {
    const frank = as('key-if-match-missing');
    const missing = '01JZZZZZZZZZZZZZZZZZZZZZZZ';
    for (const header of [`"${missing}:1"`, '"elsewhere:1:0"', '*', '1']) {
      const reply = await frank.updateTask(missing, { title: 'x' }, { 'If-Match': header });
      expect(reply.status, header).toBe(404);
    }
  });

  it('DELETE /tasks/{id} honours the ETag in If-Match', async () => {
    const gina = as('key-if-match-delete');
    const task = await gina.createTask({ title: 'doomed' });
    const tag = (await gina.task(task.taskId)).headers.ETag!;
    await gina.updateTask(task.taskId, { title: 'moved on' });
    const at = { resource: '/tasks/{id}', pathParameters: { id: task.taskId } };
    const stale = await gina.call('tasks/delete', { ...at, headers: { 'If-Match': tag } });
    expect(stale.status).toBe(412);
    const fresh = (await gina.task(task.taskId)).headers.ETag!;
    const deleted = await gina.call('tasks/delete', { ...at, headers: { 'If-Match': fresh } });
    expect(deleted.status).toBe(200);
    expect((await gina.task(task.taskId)).status).toBe(404);
  });

  it('PUT and DELETE /categories/{id} check the whole tag: a taskCount change fails If-Match, the bare version does not', async () => {
    const hank = as('key-if-match-category');
    const box = await hank.createCategory({ name: 'Box' });
    const tag = (await hank.category(box.categoryId)).headers.ETag!;
    const at = { resource: '/categories/{id}', pathParameters: { id: box.categoryId } };
    const renamed = await hank.call<Category>('categories/update', {
      ...at,
      body: { name: 'Crate' },
      headers: { 'If-Match': tag },
    });
    expect(renamed.status).toBe(200);
    const task = await hank.createTask({ title: 'inside', categoryId: box.categoryId });
    const withTask = (await hank.category(box.categoryId)).headers.ETag!;
    expect(withTask).toBe(`"${box.categoryId}:2:1"`);
    await hank.call('tasks/delete', { resource: '/tasks/{id}', pathParameters: { id: task.taskId } });
    const counted = (await hank.category(box.categoryId)).headers.ETag!;
    expect(counted).toBe(`"${box.categoryId}:2:0"`);
    // Version 2 both times, but the task has left since that tag was read: the tag is stale.
    const stale = await hank.call('categories/delete', { ...at, headers: { 'If-Match': withTask } });
    expect(stale.status).toBe(412);
    expect(stale.json.error).toMatchObject({ code: 'PRECONDITION_FAILED', details: { currentVersion: 2 } });
    const wrongVersion = await hank.call('categories/delete', { ...at, query: { expectedVersion: '1' } });
    expect(wrongVersion.status).toBe(409);
    const staleBare = await hank.call('categories/delete', { ...at, headers: { 'If-Match': '1' } });
    expect(staleBare.status).toBe(412);
    const deleted = await hank.call('categories/delete', { ...at, headers: { 'If-Match': counted } });
    expect(deleted.status).toBe(200);
    expect(deleted.json.data).toEqual({ categoryId: box.categoryId, deleted: true, movedTasks: 0 });
  });

  it('lets exactly one of ten racing PUTs with the same ETag win; the others get 412', async () => {
    const ida = as('key-if-match-race');
    const task = await ida.createTask({ title: 'contested' });
    const tag = (await ida.task(task.taskId)).headers.ETag!;
    const replies = await Promise.all(
      Array.from({ length: 10 }, (_, index) =>
        ida.updateTask(task.taskId, { title: `writer ${index}` }, { 'If-Match': tag }),
      ),
    );
    const statuses = replies.map((reply) => reply.status).sort();
    expect(statuses).toEqual([200, ...Array(9).fill(412)]);
    expect((await ida.task(task.taskId)).json.data.version).toBe(2);
  });

  it('keeps Cache-Control off public routes and lets a browser send If-None-Match and read ETag', async () => {
    const health = await invoke(h()['health/health'], { method: 'GET', resource: '/health', apiKeyId: null });
    expect(health.headers['Cache-Control']).toBeUndefined();
    const preflight = await invoke(h()['cors/preflight'], {
      method: 'OPTIONS',
      resource: '/tasks/{id}',
      apiKeyId: null,
      headers: { Origin: ALLOWED_ORIGIN, 'Access-Control-Request-Headers': 'if-none-match,if-match' },
    });
    expect(preflight.headers['Access-Control-Allow-Headers']).toMatch(/(^|,)If-Match(,|$)/);
    expect(preflight.headers['Access-Control-Allow-Headers']).toMatch(/(^|,)If-None-Match(,|$)/);
    expect(preflight.headers['Access-Control-Expose-Headers']).toMatch(/(^|,)ETag(,|$)/);
  });
});
