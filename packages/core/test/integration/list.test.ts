import { beforeAll, describe, expect, it } from 'vitest';
import type { Category, ListTasksQuery, Task } from '../../src/index.ts';
import { noEngine, useTracker } from './setup.ts';

const RANK = { low: 1, medium: 2, high: 3 } as const;

/** What a list must return, computed in memory from every task: the oracle for the real queries. */
function expected(tasks: Task[], query: ListTasksQuery): string[] {
  const sort = query.sort ?? 'createdAt';
  const order = query.order ?? (sort === 'dueDate' ? 'asc' : 'desc');
  const terms = (query.q ?? '').toLowerCase().split(/\s+/).filter(Boolean);
  const matching = tasks.filter((task) => {
    if (query.categoryId && task.categoryId !== query.categoryId) return false;
    if (query.status && task.completed !== (query.status === 'completed')) return false;
    if (query.priority && task.priority !== query.priority) return false;
    if (query.dueAfter && !(task.dueDate && task.dueDate >= query.dueAfter)) return false;
    if (query.dueBefore && !(task.dueDate && task.dueDate <= `${query.dueBefore}~`)) return false;
    const text = `${task.title}\n${task.description ?? ''}`.toLowerCase();
    return terms.every((term) => text.includes(term));
  });
  const key = (task: Task) =>
    sort === 'createdAt'
      ? task.taskId
      : sort === 'dueDate'
        ? `${task.dueDate ?? '~'}#${task.taskId}`
        : `${RANK[task.priority]}#${task.taskId}`;
  matching.sort((a, b) => (key(a) < key(b) ? -1 : 1));
  if (order === 'desc') matching.reverse();
  return matching.map((task) => task.taskId);
}

describe.skipIf(noEngine)('listing tasks', () => {
  const t = useTracker();
  const tasks: Task[] = [];
  let categories: Category[] = [];

  beforeAll(async () => {
    if (noEngine) return;
    for (const name of ['Work', 'Home'])
      categories.push((await t.tracker.categories.create('lister', { name })).result);
    const priorities = ['low', 'medium', 'high'] as const;
    const words = ['milk', 'report', 'garden', 'Bread', 'email'];
    const created = await t.tracker.tasks.createMany(
      'lister',
      Array.from({ length: 90 }, (_, n) => ({
        input: {
          title: `${words[n % 5]} task ${n}`,
          description: n % 4 === 0 ? `also ${words[(n + 2) % 5]}` : undefined,
          priority: priorities[n % 3],
          completed: n % 5 === 0,
          categoryId: n % 3 === 2 ? undefined : categories[n % 2]?.categoryId,
          dueDate: n % 6 === 0 ? undefined : `2026-12-${String((n % 28) + 1).padStart(2, '0')}`,
        },
      })),
    );
    for (const item of created) if (item.status === 'created') tasks.push(item.task);
    categories = await t.tracker.categories.list('lister');
    // A task of another user, which must never show up.
    await t.tracker.tasks.create('intruder', { title: 'milk of another user' });
  });

  const queries: ListTasksQuery[] = [
    {},
    { order: 'asc' },
    { status: 'open' },
    { status: 'completed', order: 'asc' },
    { priority: 'high' },
    { sort: 'priority' },
    { sort: 'priority', priority: 'low', order: 'asc' },
    { sort: 'dueDate' },
    { sort: 'dueDate', order: 'desc' },
    { sort: 'dueDate', dueAfter: '2026-12-05', dueBefore: '2026-12-20' },
    { sort: 'dueDate', status: 'open', dueBefore: '2026-12-10' },
    { dueAfter: '2026-12-15' },
    { q: 'MILK' },
    { q: 'bread also' },
    { status: 'open', priority: 'medium', q: 'task' },
  ];

  it('created 90 tasks for the fixture', () => {
    expect(tasks).toHaveLength(90);
  });

  for (const query of queries) {
    it(`pages through ${JSON.stringify(query)} in the right order with stable cursors`, async () => {
      const seen: string[] = [];
      let cursor: string | undefined;
      let pages = 0;
      do {
        const page = await t.tracker.tasks.list('lister', {
          ...query,
          limit: 7,
          ...(cursor ? { cursor } : {}),
        });
        seen.push(...page.items.map((task) => task.taskId));
        cursor = page.nextCursor ?? undefined;
        if (cursor) expect(page.items).toHaveLength(7);
        pages++;
      } while (cursor && pages < 50);
      expect(seen).toEqual(expected(tasks, query));
    });
  }

  it('filters by category through the byCategory index', async () => {
    const work = categories.find((category) => category.name === 'Work')!;
    const page = await t.tracker.tasks.list('lister', { categoryId: work.categoryId, limit: 100 });
    expect(page.items.map((task) => task.taskId)).toEqual(expected(tasks, { categoryId: work.categoryId }));
    expect(page.nextCursor).toBeNull();
  });

  it('filters by created range using the ids themselves', async () => {
    const middle = tasks[45]!;
    const page = await t.tracker.tasks.list('lister', {
      createdAfter: middle.createdAt,
      limit: 100,
      order: 'asc',
    });
    expect(page.items.length).toBeGreaterThan(0);
    for (const task of page.items) expect(task.createdAt >= middle.createdAt.slice(0, 23)).toBe(true);
  });

  it('reads at most 1.5 items per item returned for every indexed filter, and never scans', async () => {
    const work = categories.find((category) => category.name === 'Work')!;
    const indexed: ListTasksQuery[] = [
      {},
      { status: 'open' },
      { priority: 'high' },
      { categoryId: work.categoryId },
      { sort: 'dueDate', dueAfter: '2026-12-05' },
      { sort: 'priority' },
    ];
    for (const query of indexed) {
      t.calls.reset();
      const page = await t.tracker.tasks.list('lister', { ...query, limit: 10 });
      const ratio = t.calls.scanned / page.items.length;
      expect(ratio, JSON.stringify(query)).toBeLessThanOrEqual(1.5);
      expect(t.calls.calls.Scan).toBeUndefined();
    }
  });

  it('rejects a cursor from another query, another user, or tampered with', async () => {
    const page = await t.tracker.tasks.list('lister', { status: 'open', limit: 5 });
    const cursor = page.nextCursor!;
    expect(cursor).toBeTruthy();
    await expect(t.tracker.tasks.list('lister', { status: 'completed', cursor })).rejects.toMatchObject({
      code: 'INVALID_CURSOR',
    });
    await expect(t.tracker.tasks.list('intruder', { status: 'open', cursor })).rejects.toMatchObject({
      code: 'INVALID_CURSOR',
    });
    const decoded = JSON.parse(Buffer.from(cursor, 'base64url').toString());
    decoded.k.userId = 'intruder';
    decoded.k.statusKey = 'intruder#open';
    const forged = Buffer.from(JSON.stringify(decoded)).toString('base64url');
    await expect(t.tracker.tasks.list('intruder', { status: 'open', cursor: forged })).rejects.toMatchObject({
      code: 'INVALID_CURSOR',
    });
    await expect(t.tracker.tasks.list('lister', { cursor: 'garbage' })).rejects.toMatchObject({
      code: 'INVALID_CURSOR',
    });
  });

  it('validates limit and filters', async () => {
    for (const query of [
      { limit: 0 },
      { limit: 101 },
      { status: 'done' },
      { sort: 'title' },
      { dueBefore: 'soon' },
    ]) {
      await expect(t.tracker.tasks.list('lister', query as ListTasksQuery)).rejects.toMatchObject({
        code: 'VALIDATION_ERROR',
      });
    }
  });
});
