import { beforeAll, describe, expect, it } from 'vitest';
import type { Category, Task } from '../../src/index.ts';
import { noEngine, useTracker } from './setup.ts';

describe.skipIf(noEngine)('tenant isolation', () => {
  const t = useTracker();
  let task: Task;
  let category: Category;
  const snapshot = async () => ({
    task: await t.tracker.tasks.get('owner', task.taskId),
    category: await t.tracker.categories.get('owner', category.categoryId),
  });

  beforeAll(async () => {
    if (noEngine) return;
    category = (await t.tracker.categories.create('owner', { name: 'Private' })).result;
    task = (await t.tracker.tasks.create('owner', { title: 'secret plan', categoryId: category.categoryId }))
      .result;
  });

  it("never reveals or changes another user's tasks and categories", async () => {
    const before = await snapshot();
    const other = 'mallory';
    await expect(t.tracker.tasks.get(other, task.taskId)).rejects.toMatchObject({
      code: 'RESOURCE_NOT_FOUND',
    });
    await expect(t.tracker.tasks.update(other, task.taskId, { title: 'pwned' })).rejects.toMatchObject({
      code: 'RESOURCE_NOT_FOUND',
    });
    await expect(t.tracker.tasks.delete(other, task.taskId)).rejects.toMatchObject({
      code: 'RESOURCE_NOT_FOUND',
    });
    await expect(t.tracker.categories.get(other, category.categoryId)).rejects.toMatchObject({
      code: 'RESOURCE_NOT_FOUND',
    });
    await expect(t.tracker.categories.delete(other, category.categoryId)).rejects.toMatchObject({
      code: 'RESOURCE_NOT_FOUND',
    });
    await expect(
      t.tracker.tasks.create(other, { title: 'x', categoryId: category.categoryId }),
    ).rejects.toMatchObject({
      code: 'RESOURCE_NOT_FOUND',
    });
    expect((await t.tracker.tasks.setCompleted(other, [task.taskId], true)).counts.not_found).toBe(1);
    expect((await t.tracker.tasks.deleteMany(other, [task.taskId])).counts.not_found).toBe(1);
    await expect(
      t.tracker.tasks.moveToCategory(other, [task.taskId], category.categoryId),
    ).rejects.toMatchObject({
      code: 'RESOURCE_NOT_FOUND',
    });
    expect((await t.tracker.tasks.list(other, { q: 'secret' })).items).toHaveLength(0);
    expect((await t.tracker.tasks.list(other, { categoryId: category.categoryId })).items).toHaveLength(0);
    expect(await t.tracker.categories.list(other)).toHaveLength(0);
    expect(await snapshot()).toEqual(before);
  });
});
