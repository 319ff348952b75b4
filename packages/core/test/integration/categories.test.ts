import { localDynamoClient } from '@tasktracker/local';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { endpoint, noEngine, useTracker } from './setup.ts';

describe.skipIf(noEngine)('categories', () => {
  const t = useTracker();

  it('creates, reads and lists categories by name, without the name guards', async () => {
    const work = (
      await t.tracker.categories.create('carol', { name: 'Work', color: '#1E90FF', icon: 'briefcase' })
    ).result;
    await t.tracker.categories.create('carol', { name: 'errands' });
    expect(work).toMatchObject({ name: 'Work', color: '#1E90FF', taskCount: 0, version: 1 });
    expect(await t.tracker.categories.get('carol', work.categoryId)).toEqual(work);
    const names = (await t.tracker.categories.list('carol')).map((category) => category.name);
    expect(names).toEqual(['errands', 'Work']);
  });

  it('keeps names unique per user, case-insensitively', async () => {
    await t.tracker.categories.create('carol', { name: 'Garden' });
    await expect(t.tracker.categories.create('carol', { name: 'GARDEN' })).rejects.toMatchObject({
      code: 'CATEGORY_NAME_TAKEN',
    });
    const other = await t.tracker.categories.create('dave', { name: 'garden' });
    expect(other.result.userId).toBe('dave');
  });

  it('renames, freeing the old name and guarding the new one', async () => {
    const a = (await t.tracker.categories.create('carol', { name: 'Alpha' })).result;
    await t.tracker.categories.create('carol', { name: 'Beta' });
    await expect(t.tracker.categories.update('carol', a.categoryId, { name: 'beta' })).rejects.toMatchObject({
      code: 'CATEGORY_NAME_TAKEN',
    });
    const renamed = await t.tracker.categories.update('carol', a.categoryId, {
      name: 'Gamma',
      color: '#00FF00',
    });
    expect(renamed).toMatchObject({ name: 'Gamma', color: '#00FF00', version: 2 });
    expect((await t.tracker.categories.create('carol', { name: 'alpha' })).result.name).toBe('alpha');
    await expect(
      t.tracker.categories.update('carol', a.categoryId, { name: 'Delta', expectedVersion: 1 }),
    ).rejects.toMatchObject({ code: 'VERSION_CONFLICT' });
  });

  it('refuses to delete a non-empty category unless told where the tasks go', async () => {
    const from = (await t.tracker.categories.create('erin', { name: 'From' })).result;
    const to = (await t.tracker.categories.create('erin', { name: 'To' })).result;
    const ids: string[] = [];
    for (let n = 0; n < 3; n++) {
      ids.push(
        (await t.tracker.tasks.create('erin', { title: `t${n}`, categoryId: from.categoryId })).result.taskId,
      );
    }
    await expect(t.tracker.categories.delete('erin', from.categoryId)).rejects.toMatchObject({
      code: 'CATEGORY_NOT_EMPTY',
      details: { taskCount: 3 },
    });
    const { movedTasks } = await t.tracker.categories.delete('erin', from.categoryId, {
      reassignTo: to.categoryId,
    });
    expect(movedTasks).toBe(3);
    expect((await t.tracker.categories.get('erin', to.categoryId)).taskCount).toBe(3);
    for (const id of ids) expect((await t.tracker.tasks.get('erin', id)).categoryId).toBe(to.categoryId);
    await expect(t.tracker.categories.get('erin', from.categoryId)).rejects.toMatchObject({
      code: 'RESOURCE_NOT_FOUND',
    });

    await t.tracker.categories.delete('erin', to.categoryId, { uncategorize: true });
    for (const id of ids) expect((await t.tracker.tasks.get('erin', id)).categoryId).toBeUndefined();
    // The name is free again.
    expect((await t.tracker.categories.create('erin', { name: 'to' })).result.name).toBe('to');
  });

  it('deletes only at the expected version when one is given', async () => {
    const doomed = (await t.tracker.categories.create('gina', { name: 'Doomed' })).result;
    await t.tracker.categories.update('gina', doomed.categoryId, { color: '#111111' });
    await expect(
      t.tracker.categories.delete('gina', doomed.categoryId, { expectedVersion: 1 }),
    ).rejects.toMatchObject({ code: 'VERSION_CONFLICT', details: { expectedVersion: 1, currentVersion: 2 } });
    await t.tracker.categories.delete('gina', doomed.categoryId, { expectedVersion: 2 });
    await expect(t.tracker.categories.get('gina', doomed.categoryId)).rejects.toMatchObject({
      code: 'RESOURCE_NOT_FOUND',
    });
  });

  it('a rename landing between the delete’s read and its write leaves no name taken', async () => {
    const category = (await t.tracker.categories.create('hank', { name: 'Before' })).result;
    // The rename runs right after the delete has read the category: the interleaving a busy user hits.
    const client = localDynamoClient(endpoint);
    let renamed = false;
    client.middlewareStack.add(
      (next, context) => async (args) => {
        const result = await next(args);
        if (!renamed && context.commandName === 'GetItemCommand') {
          renamed = true;
          await t.tracker.categories.update('hank', category.categoryId, { name: 'After' });
        }
        return result;
      },
      { step: 'initialize', name: 'renameAfterRead' },
    );
    try {
      await t.withOptions({ client }).categories.delete('hank', category.categoryId);
    } finally {
      client.destroy();
    }
    expect(renamed).toBe(true);
    expect(await t.tracker.categories.list('hank')).toEqual([]);
    for (const name of ['Before', 'After']) {
      expect((await t.tracker.categories.create('hank', { name })).result.name).toBe(name);
    }
  });

  it('keeps taskCount exact through any sequence of creates, moves, updates and deletes', async () => {
    let run = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.array(
          fc.oneof(
            fc.record({ op: fc.constant('create' as const), category: fc.integer({ min: -1, max: 2 }) }),
            fc.record({
              op: fc.constant('update' as const),
              task: fc.nat(),
              category: fc.integer({ min: -1, max: 2 }),
            }),
            fc.record({
              op: fc.constant('move' as const),
              tasks: fc.array(fc.nat(), { maxLength: 4 }),
              category: fc.integer({ min: -1, max: 2 }),
            }),
            fc.record({ op: fc.constant('delete' as const), task: fc.nat() }),
            fc.record({
              op: fc.constant('bulkDelete' as const),
              tasks: fc.array(fc.nat(), { maxLength: 3 }),
            }),
          ),
          { minLength: 5, maxLength: 20 },
        ),
        async (steps) => {
          const user = `prop${run++}`;
          const cats: string[] = [];
          for (const name of ['A', 'B', 'C'])
            cats.push((await t.tracker.categories.create(user, { name })).result.categoryId);
          const live: string[] = [];
          const pick = (n: number) => (live.length > 0 ? live[n % live.length] : undefined);
          const categoryOf = (n: number) => (n < 0 ? null : (cats[n] as string));
          for (const step of steps) {
            if (step.op === 'create') {
              const categoryId = categoryOf(step.category) ?? undefined;
              live.push((await t.tracker.tasks.create(user, { title: 'p', categoryId })).result.taskId);
            } else if (step.op === 'update') {
              const id = pick(step.task);
              if (id) await t.tracker.tasks.update(user, id, { categoryId: categoryOf(step.category) });
            } else if (step.op === 'move') {
              const ids = step.tasks.map(pick).filter((id): id is string => Boolean(id));
              if (ids.length > 0) await t.tracker.tasks.moveToCategory(user, ids, categoryOf(step.category));
            } else if (step.op === 'delete') {
              const id = pick(step.task);
              if (id) {
                await t.tracker.tasks.delete(user, id);
                live.splice(live.indexOf(id), 1);
              }
            } else {
              const ids = [...new Set(step.tasks.map(pick).filter((id): id is string => Boolean(id)))];
              if (ids.length > 0) {
                await t.tracker.tasks.deleteMany(user, ids);
                for (const id of ids) live.splice(live.indexOf(id), 1);
              }
            }
          }
          const actual = new Map<string, number>();
          for await (const task of t.tracker.tasks.iterate(user)) {
            if (task.categoryId) actual.set(task.categoryId, (actual.get(task.categoryId) ?? 0) + 1);
          }
          for (const category of await t.tracker.categories.list(user)) {
            expect(category.taskCount, category.name).toBe(actual.get(category.categoryId) ?? 0);
          }
        },
      ),
      { numRuns: 15 },
    );
  });
});
