import { describe, expect, it } from 'vitest';
import { noEngine, useTracker } from './setup.ts';

describe.skipIf(noEngine)('bulk operations', () => {
  const t = useTracker();
  const seed = async (user: string, count: number, categoryId?: string) => {
    const created = await t.tracker.tasks.createMany(
      user,
      Array.from({ length: count }, (_, n) => ({ input: { title: `bulk ${n}`, categoryId } })),
    );
    return created.map((item) => (item.status === 'created' ? item.task.taskId : ''));
  };

  it('completes and reopens many tasks, reporting every id', async () => {
    const ids = await seed('frank', 5);
    const missing = '01J00000000000000000000000';
    const { results, counts } = await t.tracker.tasks.setCompleted(
      'frank',
      [...ids, missing, 'not-an-id'],
      true,
    );
    expect(counts).toMatchObject({ updated: 5, not_found: 2, conflict: 0, failed: 0 });
    expect(results.map((result) => result.id)).toEqual([...ids, missing, 'not-an-id']);
    for (const id of ids) expect((await t.tracker.tasks.get('frank', id)).completed).toBe(true);
    const reopened = await t.tracker.tasks.setCompleted('frank', ids, false);
    expect(reopened.counts.updated).toBe(5);
  });

  it('keeps a change made between its read and its write (each task is written on its version)', async () => {
    const category = (await t.tracker.categories.create('jules', { name: 'Errands' })).result;
    const ids = await seed('jules', 30, category.categoryId);
    const target = ids[7] ?? '';
    let injected = false;
    // Fault injection: just before the bulk writes the target, another writer changes it.
    t.client.middlewareStack.add(
      (next) => async (args) => {
        const item = (args.input as { Item?: { taskId?: string; completed?: boolean } }).Item;
        if (!injected && item?.taskId === target && item.completed === true) {
          injected = true;
          await t.tracker.tasks.update('jules', target, { title: 'changed meanwhile' });
        }
        return next(args);
      },
      { step: 'initialize', name: 'concurrentWriter' },
    );
    try {
      const { counts, results } = await t.tracker.tasks.setCompleted('jules', ids, true);
      expect(injected).toBe(true);
      expect(counts).toMatchObject({ updated: 30, conflict: 0, failed: 0 });
      expect(results.find((result) => result.id === target)?.status).toBe('updated');
    } finally {
      t.client.middlewareStack.remove('concurrentWriter');
    }
    const task = await t.tracker.tasks.get('jules', target);
    expect(task).toMatchObject({ title: 'changed meanwhile', completed: true, version: 3 });
    // Completing moves no task between categories: the count is what it was.
    expect((await t.tracker.categories.get('jules', category.categoryId)).taskCount).toBe(30);
  });

  it('handles 1000 ids in one call and refuses 1001', async () => {
    const ids = await seed('gina', 1000);
    expect(ids.filter(Boolean)).toHaveLength(1000);
    const { counts } = await t.tracker.tasks.setCompleted('gina', ids, true);
    expect(counts.updated).toBe(1000);
    await expect(t.tracker.tasks.setCompleted('gina', [...ids, ids[0]!, 'x'], true)).rejects.toMatchObject({
      code: 'VALIDATION_ERROR',
    });
    const deleted = await t.tracker.tasks.deleteMany('gina', ids);
    expect(deleted.counts.deleted).toBe(1000);
    expect((await t.tracker.tasks.list('gina')).items).toHaveLength(0);
  });

  it('moves tasks between categories and keeps both counts exact', async () => {
    const a = (await t.tracker.categories.create('hank', { name: 'A' })).result;
    const b = (await t.tracker.categories.create('hank', { name: 'B' })).result;
    const ids = await seed('hank', 150, a.categoryId);
    expect((await t.tracker.categories.get('hank', a.categoryId)).taskCount).toBe(150);
    const moved = await t.tracker.tasks.moveToCategory('hank', ids.slice(0, 120), b.categoryId);
    expect(moved.counts.updated).toBe(120);
    expect((await t.tracker.categories.get('hank', a.categoryId)).taskCount).toBe(30);
    expect((await t.tracker.categories.get('hank', b.categoryId)).taskCount).toBe(120);
    // 100-119 are in B now, 120-139 still in A.
    await t.tracker.tasks.deleteMany('hank', ids.slice(100, 140));
    expect((await t.tracker.categories.get('hank', a.categoryId)).taskCount).toBe(10);
    expect((await t.tracker.categories.get('hank', b.categoryId)).taskCount).toBe(100);
    await expect(
      t.tracker.tasks.moveToCategory('hank', ids, '01J00000000000000000000000'),
    ).rejects.toMatchObject({
      code: 'RESOURCE_NOT_FOUND',
    });
  });

  it('creates many with per-item idempotency: a re-run creates nothing twice', async () => {
    const requests = Array.from({ length: 60 }, (_, n) => ({
      input: { title: `row ${n}` },
      idempotencyKey: `import:file-1:${n}`,
    }));
    requests.push({ input: { title: '' }, idempotencyKey: 'import:file-1:bad' });
    const first = await t.tracker.tasks.createMany('ivy', requests);
    expect(first.filter((item) => item.status === 'created')).toHaveLength(60);
    expect(first[60]).toMatchObject({ status: 'invalid' });
    const again = await t.tracker.tasks.createMany('ivy', requests);
    expect(again.filter((item) => item.status === 'duplicate')).toHaveLength(60);
    const all = [];
    for await (const task of t.tracker.tasks.iterate('ivy')) all.push(task);
    expect(all).toHaveLength(60);
    // The replayed tasks are the ones first created.
    expect(again.slice(0, 60).map((item) => 'task' in item && item.task.taskId)).toEqual(
      first.slice(0, 60).map((item) => 'task' in item && item.task.taskId),
    );
  });
});
