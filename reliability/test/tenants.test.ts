import { beforeAll, describe, expect, it } from 'vitest';
import { noEngine, type Reply, useServe } from '../support/serve.ts';

const A = 'tenant-a-key';
const B = 'tenant-b-key';

interface Task {
  taskId: string;
  title: string;
  version: number;
  completed: boolean;
  categoryId?: string;
}
interface Category {
  categoryId: string;
  name: string;
  version: number;
  taskCount: number;
}
interface BulkResult {
  results: { id: string; status: string }[];
  counts: Record<'updated' | 'deleted' | 'not_found' | 'conflict' | 'failed', number>;
}

const data = <T>(reply: Reply) => (reply.json as { data: T }).data;
const errorCode = (reply: Reply) => (reply.json as { error?: { code: string } }).error?.code;

/** What user A owns, recorded once A is set up: B's attacks must leave every field as it is. */
interface Snapshot {
  tasks: Task[];
  categories: Category[];
}

describe.skipIf(noEngine)('tenant isolation through tt local serve: user B against user A', () => {
  const served = useServe();
  const a = {
    taskIds: [] as string[],
    categoryIds: [] as string[],
    cursor: '',
    /** Two keys per route: B reuses the first with A's body and the second with another body. */
    idempotencyKeys: ['tenant-shared-key-1', 'tenant-shared-key-2'],
    idempotentBody: { title: 'A via idempotency key' },
    idempotentTaskIds: [] as string[],
    bulkKeys: ['tenant-shared-bulk-1', 'tenant-shared-bulk-2'],
    export: '',
  };
  let before: Snapshot;
  const call = (
    key: string,
    path: string,
    init: { method?: string; body?: object; headers?: Record<string, string> } = {},
  ) => served.call(path, { key, ...init });
  const snapshot = async (): Promise<Snapshot> => {
    const tasks = await Promise.all(a.taskIds.map(async (id) => data<Task>(await call(A, `/tasks/${id}`))));
    const categories = data<Category[]>(await call(A, '/categories'));
    return { tasks, categories: [...categories].sort((x, y) => x.categoryId.localeCompare(y.categoryId)) };
  };
  /** No id or title of A's appears in a reply to B, except an id B itself sent (a 404 names it back). */
  const revealsNothing = (reply: Reply, sent: string[] = []) => {
    for (const id of [...a.taskIds, ...a.categoryIds])
      if (!sent.includes(id)) expect(reply.text).not.toContain(id);
    expect(reply.text).not.toContain('A secret plan');
    expect(reply.text).not.toContain('A-only category');
  };

  /**
   * B naming A's category gets exactly the answer B gets for a category that never existed (a 404, or
   * the 400 a dangling categoryId is): the reply cannot tell B that A's id exists.
   */
  const NEVER = ['01J0000000000000000000000A', '01J0000000000000000000000B'];
  const withoutA = (text: string) =>
    text.replaceAll(a.categoryIds[0]!, NEVER[0]!).replaceAll(a.categoryIds[1]!, NEVER[1]!);
  const likeMissing = async (method: string, path: string, body?: object) => {
    const theirs = await call(B, path, { method, ...(body ? { body } : {}) });
    const never = await call(B, withoutA(path), {
      method,
      ...(body ? { body: JSON.parse(withoutA(JSON.stringify(body))) } : {}),
    });
    expect(theirs.status).toBeGreaterThanOrEqual(400);
    expect([theirs.status, errorCode(theirs)], theirs.text).toEqual([never.status, errorCode(never)]);
    expect(withoutA(theirs.text).replace(/"correlationId":"[^"]+"/, '')).toBe(
      never.text.replace(/"correlationId":"[^"]+"/, ''),
    );
  };

  beforeAll(async () => {
    if (noEngine) return;
    for (const name of ['A-only category 1', 'A-only category 2']) {
      a.categoryIds.push(
        data<Category>(await call(A, '/categories', { method: 'POST', body: { name } })).categoryId,
      );
    }
    for (let index = 0; index < 5; index++) {
      const body = {
        title: `A secret plan ${index}`,
        ...(index < 3 ? { categoryId: a.categoryIds[0] } : {}),
      };
      a.taskIds.push(data<Task>(await call(A, '/tasks', { method: 'POST', body })).taskId);
    }
    for (const key of a.idempotencyKeys) {
      const idempotent = await call(A, '/tasks', {
        method: 'POST',
        body: a.idempotentBody,
        headers: { 'Idempotency-Key': key },
      });
      a.idempotentTaskIds.push(data<Task>(idempotent).taskId);
    }
    a.taskIds.push(...a.idempotentTaskIds);
    for (const key of a.bulkKeys) {
      const bulk = await call(A, '/tasks/bulk', {
        method: 'POST',
        body: { action: 'complete', ids: [a.taskIds[4]] },
        headers: { 'Idempotency-Key': key },
      });
      expect(bulk.status).toBe(200);
    }
    const page = await call(A, '/tasks?limit=2');
    a.cursor = (page.json as { nextCursor: string }).nextCursor;
    expect(a.cursor).toBeTruthy();
    a.export = (await call(A, '/tasks/export')).text;
    expect(a.export).toContain(a.taskIds[0]);
    before = await snapshot();
    expect(before.categories.map((category) => category.taskCount)).toEqual(
      a.categoryIds[0]! < a.categoryIds[1]! ? [3, 0] : [0, 3],
    );
  });

  /** One case per route (and per variant of a route that takes A's ids, keys or cursors). */
  const cases: [string, () => Promise<void>][] = [
    [
      'GET /tasks/{id} with A’s task ids: 404',
      async () => {
        for (const id of a.taskIds) {
          const reply = await call(B, `/tasks/${id}`);
          expect(reply.status).toBe(404);
          revealsNothing(reply, [id]);
        }
      },
    ],
    [
      'PUT /tasks/{id} with A’s task ids, with and without If-Match: 404',
      async () => {
        for (const id of a.taskIds) {
          expect(
            (await call(B, `/tasks/${id}`, { method: 'PUT', body: { title: 'B was here' } })).status,
          ).toBe(404);
          const matched = await call(B, `/tasks/${id}`, {
            method: 'PUT',
            body: { completed: true, categoryId: null },
            headers: { 'If-Match': '"1"' },
          });
          expect(matched.status).toBe(404);
          revealsNothing(matched, [id]);
        }
      },
    ],
    [
      'DELETE /tasks/{id} with A’s task ids, with and without expectedVersion: 404',
      async () => {
        for (const id of a.taskIds) {
          expect((await call(B, `/tasks/${id}`, { method: 'DELETE' })).status).toBe(404);
          expect((await call(B, `/tasks/${id}?expectedVersion=1`, { method: 'DELETE' })).status).toBe(404);
        }
      },
    ],
    [
      'GET /tasks: only B’s own tasks, with every filter, and with A’s category as filter',
      async () => {
        await call(B, '/tasks', { method: 'POST', body: { title: 'B own task' } });
        const mine = await call(B, '/tasks?limit=100');
        expect(data<Task[]>(mine).map((task) => task.title)).toEqual(['B own task']);
        revealsNothing(mine);
        for (const query of [
          `category=${a.categoryIds[0]}`,
          'q=secret',
          'status=completed',
          'sort=dueDate',
        ]) {
          const filtered = await call(B, `/tasks?${query}`);
          expect(filtered.status).toBe(200);
          revealsNothing(filtered);
        }
        expect(data<Task[]>(await call(B, `/tasks?category=${a.categoryIds[0]}`))).toEqual([]);
      },
    ],
    [
      'GET /tasks with A’s cursor, and with B’s cursor forged to A’s start key: INVALID_CURSOR',
      async () => {
        const stolen = await call(B, `/tasks?limit=2&cursor=${encodeURIComponent(a.cursor)}`);
        expect(stolen.status).toBe(400);
        expect(errorCode(stolen)).toBe('INVALID_CURSOR');
        for (let index = 0; index < 3; index++)
          await call(B, '/tasks', { method: 'POST', body: { title: `B ${index}` } });
        const own = (await call(B, '/tasks?limit=2').then((reply) => reply.json)) as { nextCursor: string };
        const decode = (cursor: string) => JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
        const forged = Buffer.from(
          JSON.stringify({ ...decode(own.nextCursor), k: decode(a.cursor).k }),
        ).toString('base64url');
        const reply = await call(B, `/tasks?limit=2&cursor=${forged}`);
        expect(reply.status).toBe(400);
        expect(errorCode(reply)).toBe('INVALID_CURSOR');
      },
    ],
    [
      'POST /tasks with A’s idempotency key, same and different body: B’s own new task, never A’s replay',
      async () => {
        const bodies = [a.idempotentBody, { title: 'B different body' }];
        for (const [index, key] of a.idempotencyKeys.entries()) {
          const reply = await call(B, '/tasks', {
            method: 'POST',
            body: bodies[index],
            headers: { 'Idempotency-Key': key },
          });
          expect(reply.status, reply.text).toBe(201);
          expect(reply.headers.get('idempotent-replayed')).toBeNull();
          expect(a.idempotentTaskIds).not.toContain(data<Task>(reply).taskId);
          revealsNothing(reply);
        }
      },
    ],
    [
      'POST /tasks into A’s category: the answer for a category that never existed',
      async () => {
        await likeMissing('POST', '/tasks', { title: 'B into A category', categoryId: a.categoryIds[0] });
      },
    ],
    [
      'PUT /tasks/{id} on B’s own task moving it into A’s category: as if it never existed',
      async () => {
        const own = data<Task>(await call(B, '/tasks', { method: 'POST', body: { title: 'B movable' } }));
        await likeMissing('PUT', `/tasks/${own.taskId}`, { categoryId: a.categoryIds[1] });
        expect(data<Task>(await call(B, `/tasks/${own.taskId}`)).categoryId).toBeUndefined();
      },
    ],
    [
      'POST /tasks/bulk with A’s ids, every action: all not_found, nothing changed',
      async () => {
        const actions = [
          { action: 'complete' },
          { action: 'reopen' },
          { action: 'move', categoryId: null },
          { action: 'delete' },
        ];
        for (const action of actions) {
          const reply = await call(B, '/tasks/bulk', { method: 'POST', body: { ...action, ids: a.taskIds } });
          expect(reply.status).toBe(200);
          const result = data<BulkResult>(reply);
          expect(result.counts.not_found).toBe(a.taskIds.length);
          expect(result.counts.updated + result.counts.deleted).toBe(0);
        }
        // Moving into A's category names a category B does not have.
        const own = data<Task>(await call(B, '/tasks', { method: 'POST', body: { title: 'B bulk' } }));
        const move = await call(B, '/tasks/bulk', {
          method: 'POST',
          body: { action: 'move', ids: [own.taskId, ...a.taskIds], categoryId: a.categoryIds[1] },
        });
        expect(move.status).toBe(404);
        expect(data<Task>(await call(B, `/tasks/${own.taskId}`)).categoryId).toBeUndefined();
      },
    ],
    [
      'POST /tasks/bulk with A’s idempotency key: B’s own run, never A’s stored result',
      async () => {
        const bodies = [[a.taskIds[4]], ['01J00000000000000000000000']];
        for (const [index, key] of a.bulkKeys.entries()) {
          const reply = await call(B, '/tasks/bulk', {
            method: 'POST',
            body: { action: 'complete', ids: bodies[index] },
            headers: { 'Idempotency-Key': key },
          });
          expect(reply.status, reply.text).toBe(200);
          expect(reply.headers.get('idempotent-replayed')).toBeNull();
          expect(data<BulkResult>(reply).counts.updated).toBe(0);
        }
      },
    ],
    [
      'GET /tasks/export with A’s filters, both formats: only B’s rows',
      async () => {
        for (const query of [
          '',
          '?format=jsonl',
          `?category=${a.categoryIds[0]}`,
          '?q=secret',
          '?status=completed',
        ]) {
          const reply = await call(B, `/tasks/export${query}`);
          expect(reply.status).toBe(200);
          revealsNothing(reply);
        }
        const rows = (await call(B, `/tasks/export?format=jsonl&category=${a.categoryIds[0]}`)).text.trim();
        expect(rows).toBe('');
      },
    ],
    [
      'GET /categories: only B’s own; POST /categories with A’s names: allowed, B’s own',
      async () => {
        const created = await call(B, '/categories', { method: 'POST', body: { name: 'A-only category 1' } });
        expect(created.status).toBe(201);
        expect(a.categoryIds).not.toContain(data<Category>(created).categoryId);
        const listed = data<Category[]>(await call(B, '/categories'));
        expect(listed.map((category) => category.categoryId)).toEqual([data<Category>(created).categoryId]);
      },
    ],
    [
      'GET /categories/{id} with A’s category ids: 404',
      async () => {
        for (const id of a.categoryIds) {
          const reply = await call(B, `/categories/${id}`);
          expect(reply.status).toBe(404);
          revealsNothing(reply, [id]);
        }
      },
    ],
    [
      'PUT /categories/{id} with A’s category ids: 404',
      async () => {
        for (const id of a.categoryIds) {
          expect(
            (await call(B, `/categories/${id}`, { method: 'PUT', body: { name: 'B renamed' } })).status,
          ).toBe(404);
          const matched = await call(B, `/categories/${id}`, {
            method: 'PUT',
            body: { color: '#000000', expectedVersion: 1 },
          });
          expect(matched.status).toBe(404);
        }
      },
    ],
    [
      'DELETE /categories/{id} with A’s ids, and B’s own category reassigned into A’s: as if they never existed',
      async () => {
        for (const id of a.categoryIds) {
          for (const query of ['', '?uncategorize=true', `?reassignTo=${a.categoryIds[1]}`]) {
            await likeMissing('DELETE', `/categories/${id}${query}`);
          }
        }
        const own = data<Category>(
          await call(B, '/categories', { method: 'POST', body: { name: 'B to delete' } }),
        );
        const task = data<Task>(
          await call(B, '/tasks', {
            method: 'POST',
            body: { title: 'B in own', categoryId: own.categoryId },
          }),
        );
        await likeMissing('DELETE', `/categories/${own.categoryId}?reassignTo=${a.categoryIds[1]}`);
        expect(data<Task>(await call(B, `/tasks/${task.taskId}`)).categoryId).toBe(own.categoryId);
      },
    ],
    [
      'GET /health, GET /health/detailed, OPTIONS: public, naming no one’s data',
      async () => {
        for (const [path, method] of [
          ['/health', 'GET'],
          ['/health/detailed', 'GET'],
          [`/tasks/${a.taskIds[0]}`, 'OPTIONS'],
        ] as const) {
          const reply = await call(B, path, { method, headers: { Origin: 'http://localhost:3000' } });
          expect(reply.status).toBeLessThan(300);
          revealsNothing(reply, [a.taskIds[0]!]);
        }
      },
    ],
  ];

  it.each(cases)('%s', async (_name, attack) => {
    await attack();
  });

  it('leaves everything of A’s as it was: versions, titles, counts, idempotency records', async () => {
    const after = await snapshot();
    expect(after).toEqual(before);
    const listed = data<Task[]>(await call(A, '/tasks?limit=100'));
    expect(listed.map((task) => task.taskId).sort()).toEqual([...a.taskIds].sort());
    expect((await call(A, '/tasks/export')).text.split('\n').length).toBe(a.export.split('\n').length);
    // A's keys still replay A's own results.
    for (const [index, key] of a.idempotencyKeys.entries()) {
      const replay = await call(A, '/tasks', {
        method: 'POST',
        body: a.idempotentBody,
        headers: { 'Idempotency-Key': key },
      });
      expect(replay.headers.get('idempotent-replayed')).toBe('true');
      expect(data<Task>(replay).taskId).toBe(a.idempotentTaskIds[index]);
    }
    const bulk = await call(A, '/tasks/bulk', {
      method: 'POST',
      body: { action: 'complete', ids: [a.taskIds[4]] },
      headers: { 'Idempotency-Key': a.bulkKeys[0]! },
    });
    expect(bulk.headers.get('idempotent-replayed')).toBe('true');
    expect(data<BulkResult>(bulk).counts.updated).toBe(1);
    console.log(
      `tenants: ${cases.length} route cases, A's ${a.taskIds.length} tasks and ${a.categoryIds.length} categories unchanged`,
    );
  });
});
