import type { BulkResult, Task } from '@tasktracker/core';
import { describe, expect, it } from 'vitest';
import { invoke } from '../support/events.ts';
import { noEngine } from '../support/stack.ts';
import { useTaskApi } from '../support/task-api.ts';

const { api, h, createTask } = useTaskApi();

describe.skipIf(noEngine)('task lists, updates, bulk and export against DynamoDB Local', () => {
  it('GET /tasks filters and pages with nextCursor (null on the last page); bad queries are 400', async () => {
    const user = { apiKeyId: 'key-lister' };
    for (const title of ['one', 'two', 'three']) await createTask({ title, priority: 'low' }, user);
    await createTask({ title: 'four', priority: 'high' }, user);
    const first = await invoke<Task[]>(h()['tasks/list'], {
      method: 'GET',
      resource: '/tasks',
      query: { priority: 'low', limit: '2' },
      ...user,
    });
    expect(first.status).toBe(200);
    expect(first.json.data.map((task) => task.title)).toEqual(['three', 'two']);
    expect(first.json.nextCursor).toEqual(expect.any(String));
    const second = await invoke<Task[]>(h()['tasks/list'], {
      method: 'GET',
      resource: '/tasks',
      query: { priority: 'low', limit: '2', cursor: String(first.json.nextCursor) },
      ...user,
    });
    expect(second.json.data.map((task) => task.title)).toEqual(['one']);
    expect(second.json.nextCursor).toBeNull();
    const unknown = await invoke(h()['tasks/list'], {
      method: 'GET',
      resource: '/tasks',
      query: { colour: 'red' },
      ...user,
    });
    expect(unknown.status).toBe(400);
    expect(unknown.json.error.details).toEqual([expect.objectContaining({ path: ['query'] })]);
    const limit = await invoke(h()['tasks/list'], {
      method: 'GET',
      resource: '/tasks',
      query: { limit: '1000' },
      ...user,
    });
    expect(limit.json.error.details).toEqual([expect.objectContaining({ path: ['query', 'limit'] })]);
    const cursor = await invoke(h()['tasks/list'], {
      method: 'GET',
      resource: '/tasks',
      query: { cursor: 'bm9wZQ' },
      ...user,
    });
    expect(cursor.status).toBe(400);
    expect(cursor.json.error.code).toBe('INVALID_CURSOR');
  });

  it('GET /tasks?category= filters by category', async () => {
    const user = { apiKeyId: 'key-categorised' };
    const category = await invoke<{ categoryId: string }>(h()['categories/create'], {
      method: 'POST',
      resource: '/categories',
      body: { name: 'Home' },
      ...user,
    });
    const categoryId = category.json.data.categoryId;
    await createTask({ title: 'in home', categoryId }, user);
    await createTask({ title: 'loose' }, user);
    const list = await invoke<Task[]>(h()['tasks/list'], {
      method: 'GET',
      resource: '/tasks',
      query: { category: categoryId },
      ...user,
    });
    expect(list.json.data.map((task) => task.title)).toEqual(['in home']);
  });

  it('PUT takes expectedVersion from the body or If-Match: a stale body version is 409, disagreeing is 400', async () => {
    const task = (await createTask({ title: 'versioned' })).json.data;
    const at = { method: 'PUT', resource: '/tasks/{id}', pathParameters: { id: task.taskId } };
    const updated = await invoke<Task>(h()['tasks/update'], {
      ...at,
      body: { completed: true },
      headers: { 'If-Match': '"1"' },
    });
    expect(updated.status).toBe(200);
    expect(updated.json.data).toMatchObject({ completed: true, version: 2 });
    const stale = await invoke(h()['tasks/update'], { ...at, body: { title: 'late', expectedVersion: 1 } });
    expect(stale.status).toBe(409);
    expect(stale.json.error).toMatchObject({ code: 'VERSION_CONFLICT', details: { currentVersion: 2 } });
    const disagree = await invoke(h()['tasks/update'], {
      ...at,
      body: { title: 'x', expectedVersion: 2 },
      headers: { 'If-Match': '3' },
    });
    expect(disagree.status).toBe(400);
    const badHeader = await invoke(h()['tasks/update'], {
      ...at,
      body: { title: 'x' },
      headers: { 'If-Match': 'abc' },
    });
    expect(badHeader.status).toBe(400);
    const empty = await invoke(h()['tasks/update'], { ...at, body: {} });
    expect(empty.status).toBe(400);
  });

  it('DELETE removes a task (200), honours If-Match, and a second delete is 404', async () => {
    const task = (await createTask({ title: 'doomed' })).json.data;
    const at = { method: 'DELETE', resource: '/tasks/{id}', pathParameters: { id: task.taskId } };
    const stale = await invoke(h()['tasks/delete'], { ...at, headers: { 'If-Match': '7' } });
    expect(stale.status).toBe(412);
    expect(stale.json.error.code).toBe('PRECONDITION_FAILED');
    const deleted = await invoke(h()['tasks/delete'], at);
    expect(deleted.status).toBe(200);
    expect(deleted.json.data).toEqual({ taskId: task.taskId, deleted: true });
    expect((await invoke(h()['tasks/delete'], at)).status).toBe(404);
    expect((await invoke(h()['tasks/get'], { ...at, method: 'GET' })).status).toBe(404);
  });

  it('POST /tasks/bulk completes, moves and deletes with per-item results, and replays with a key', async () => {
    const user = { apiKeyId: 'key-bulk' };
    const ids = [];
    for (const title of ['a', 'b']) ids.push((await createTask({ title }, user)).json.data.taskId);
    const bulk = (body: unknown, headers: Record<string, string> = {}) =>
      invoke<BulkResult>(h()['tasks/bulk'], {
        method: 'POST',
        resource: '/tasks/bulk',
        body,
        headers,
        ...user,
      });
    const missing = '01JZZZZZZZZZZZZZZZZZZZZZZZ';
    const completed = await bulk(
      { action: 'complete', ids: [...ids, missing] },
      { 'Idempotency-Key': 'bulk-1' },
    );
    expect(completed.status).toBe(200);
    expect(completed.json.data.counts).toMatchObject({ updated: 2, not_found: 1 });
    const replay = await bulk(
      { action: 'complete', ids: [...ids, missing] },
      { 'Idempotency-Key': 'bulk-1' },
    );
    expect(replay.headers['Idempotent-Replayed']).toBe('true');
    expect(replay.json.data).toEqual(completed.json.data);
    const noCategory = await bulk({ action: 'move', ids, categoryId: '01JAAAAAAAAAAAAAAAAAAAAAAA' });
    expect(noCategory.status).toBe(404);
    expect((await bulk({ action: 'move', ids })).status).toBe(400);
    expect((await bulk({ action: 'explode', ids })).status).toBe(400);
    const deleted = await bulk({ action: 'delete', ids });
    expect(deleted.json.data.counts.deleted).toBe(2);
    expect(api.metrics.some((line) => line.Route === 'POST /tasks/bulk' && line.TasksCompleted === 2)).toBe(
      true,
    );
  });

  it('GET /tasks/export returns CSV (or JSON Lines) of the filtered tasks', async () => {
    const user = { apiKeyId: 'key-export' };
    await createTask({ title: '=SUM(A1)', priority: 'high' }, user);
    await createTask({ title: 'plain', priority: 'low' }, user);
    const csv = await invoke(h()['tasks/export'], {
      method: 'GET',
      resource: '/tasks/export',
      query: { priority: 'high' },
      ...user,
    });
    expect(csv.status).toBe(200);
    expect(csv.headers['Content-Type']).toMatch(/^text\/csv/);
    const lines = csv.body.trim().split('\r\n');
    expect(lines[0]).toMatch(/^taskId,title,description,completed,priority/);
    expect(lines).toHaveLength(2);
    expect(lines[1]).toContain("'=SUM(A1)");
    const jsonl = await invoke(h()['tasks/export'], {
      method: 'GET',
      resource: '/tasks/export',
      query: { format: 'jsonl' },
      ...user,
    });
    const rows = jsonl.body
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { title: string });
    expect(rows.map((row) => row.title).sort()).toEqual(['=SUM(A1)', 'plain']);
    const bad = await invoke(h()['tasks/export'], {
      method: 'GET',
      resource: '/tasks/export',
      query: { format: 'xlsx' },
      ...user,
    });
    expect(bad.status).toBe(400);
  });

  it('writes one EMF line per request with request count, latency and business counts', async () => {
    const before = api.metrics.length;
    const reply = await createTask({ title: 'counted' });
    const line = api.metrics
      .slice(before)
      .find((metric) => metric.correlationId === reply.headers['X-Correlation-Id']);
    expect(line).toMatchObject({
      Route: 'POST /tasks',
      Service: 'tasktracker',
      Requests: 1,
      TasksCreated: 1,
      ServerErrors: 0,
    });
    expect(line?.Latency).toEqual(expect.any(Number));
    const aws = line?._aws as { CloudWatchMetrics: { Namespace: string; Metrics: { Name: string }[] }[] };
    expect(aws.CloudWatchMetrics[0]?.Namespace).toBe('TaskTrackerTest');
    expect(aws.CloudWatchMetrics[0]?.Metrics.map((metric) => metric.Name)).toContain('TasksCreated');
  });
});
