import { describe, expect, it } from 'vitest';
import { isTaskTrackerError } from '../../src/index.ts';
import { noEngine, useTracker } from './setup.ts';

const errorOf = async (promise: Promise<unknown>) => {
  try {
    await promise;
  } catch (error) {
    return error as { code: string; details?: unknown; message: string };
  }
  throw new Error('expected the call to fail');
};

describe.skipIf(noEngine)('tasks', () => {
  const t = useTracker();

  it('creates a task with defaults, a ULID and version 1, and reads it back', async () => {
    const { result: task, replayed } = await t.tracker.tasks.create('alice', { title: '  Buy milk  ' });
    expect(replayed).toBe(false);
    expect(task).toMatchObject({
      userId: 'alice',
      title: 'Buy milk',
      completed: false,
      priority: 'medium',
      version: 1,
    });
    expect(task.taskId).toMatch(/^[0-9A-HJKMNP-TV-Z]{26}$/);
    expect(await t.tracker.tasks.get('alice', task.taskId)).toEqual(task);
  });

  it('normalises due instants to UTC and keeps calendar dates', async () => {
    const a = await t.tracker.tasks.create('alice', { title: 'a', dueDate: '2026-12-01T10:00:00+02:00' });
    const b = await t.tracker.tasks.create('alice', { title: 'b', dueDate: '2026-12-01' });
    expect(a.result.dueDate).toBe('2026-12-01T08:00:00.000Z');
    expect(b.result.dueDate).toBe('2026-12-01');
  });

  it('rejects invalid input with every offending path', async () => {
    const error = await errorOf(
      t.tracker.tasks.create('alice', { title: '', priority: 'urgent' as 'high', extra: 1 } as never),
    );
    expect(error.code).toBe('VALIDATION_ERROR');
    const paths = (error.details as { path: string[] }[]).map((detail) => detail.path.join('.'));
    expect(paths).toEqual(expect.arrayContaining(['title', 'priority']));
    expect((await errorOf(t.tracker.tasks.create('alice', { title: 'x'.repeat(201) }))).code).toBe(
      'VALIDATION_ERROR',
    );
    expect((await errorOf(t.tracker.tasks.create('bad#user', { title: 'x' }))).code).toBe('VALIDATION_ERROR');
  });

  it('refuses a category that does not exist, and writes nothing', async () => {
    const error = await errorOf(
      t.tracker.tasks.create('alice', { title: 'x', categoryId: '01J00000000000000000000000' }),
    );
    expect(error.code).toBe('RESOURCE_NOT_FOUND');
    expect(error.details).toEqual({ resource: 'category', id: '01J00000000000000000000000' });
  });

  it('updates partially, bumps the version, and clears fields with null', async () => {
    const { result: task } = await t.tracker.tasks.create('alice', {
      title: 'old',
      description: 'd',
      dueDate: '2026-01-01',
    });
    const updated = await t.tracker.tasks.update('alice', task.taskId, {
      title: 'new',
      description: null,
      completed: true,
    });
    expect(updated).toMatchObject({ title: 'new', completed: true, dueDate: '2026-01-01', version: 2 });
    expect(updated.description).toBeUndefined();
    expect(await t.tracker.tasks.get('alice', task.taskId)).toEqual(updated);
  });

  it('reports VERSION_CONFLICT with the current version when expectedVersion is stale', async () => {
    const { result: task } = await t.tracker.tasks.create('alice', { title: 'v' });
    await t.tracker.tasks.update('alice', task.taskId, { title: 'v2' });
    const error = await errorOf(
      t.tracker.tasks.update('alice', task.taskId, { title: 'v3', expectedVersion: 1 }),
    );
    expect(error.code).toBe('VERSION_CONFLICT');
    expect(error.details).toMatchObject({ expectedVersion: 1, currentVersion: 2 });
  });

  it('lets exactly one of 10 concurrent updates with the same expectedVersion win', async () => {
    const { result: task } = await t.tracker.tasks.create('alice', { title: 'race' });
    const outcomes = await Promise.allSettled(
      Array.from({ length: 10 }, (_, n) =>
        t.tracker.tasks.update('alice', task.taskId, { title: `writer ${n}`, expectedVersion: 1 }),
      ),
    );
    const won = outcomes.filter((outcome) => outcome.status === 'fulfilled');
    const lost = outcomes.filter((outcome) => outcome.status === 'rejected');
    expect(won).toHaveLength(1);
    expect(lost).toHaveLength(9);
    for (const outcome of lost) expect(isTaskTrackerError(outcome.reason, 'VERSION_CONFLICT')).toBe(true);
    const final = await t.tracker.tasks.get('alice', task.taskId);
    expect(final.version).toBe(2);
    expect(final.title).toBe((won[0] as PromiseFulfilledResult<{ title: string }>).value.title);
  });

  it('never loses concurrent partial updates without expectedVersion', async () => {
    const { result: task } = await t.tracker.tasks.create('alice', { title: 'merge' });
    await Promise.all([
      t.tracker.tasks.update('alice', task.taskId, { priority: 'high' }),
      t.tracker.tasks.update('alice', task.taskId, { completed: true }),
      t.tracker.tasks.update('alice', task.taskId, { description: 'both' }),
    ]);
    expect(await t.tracker.tasks.get('alice', task.taskId)).toMatchObject({
      priority: 'high',
      completed: true,
      description: 'both',
      version: 4,
    });
  });

  it('deletes, honouring expectedVersion, and then the task is gone', async () => {
    const { result: task } = await t.tracker.tasks.create('alice', { title: 'bye' });
    expect((await errorOf(t.tracker.tasks.delete('alice', task.taskId, { expectedVersion: 7 }))).code).toBe(
      'VERSION_CONFLICT',
    );
    await t.tracker.tasks.delete('alice', task.taskId, { expectedVersion: 1 });
    expect((await errorOf(t.tracker.tasks.get('alice', task.taskId))).code).toBe('RESOURCE_NOT_FOUND');
    expect((await errorOf(t.tracker.tasks.delete('alice', task.taskId))).code).toBe('RESOURCE_NOT_FOUND');
  });

  it('treats a malformed id as not found rather than an error', async () => {
    expect((await errorOf(t.tracker.tasks.get('alice', 'nope'))).code).toBe('RESOURCE_NOT_FOUND');
  });
});
