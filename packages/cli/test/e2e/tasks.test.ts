import { describe, expect, it } from 'vitest';
import { noEngine, useCli } from './harness.ts';

interface TaskJson {
  taskId: string;
  title: string;
  completed: boolean;
  priority: string;
  dueDate?: string;
  categoryId?: string;
  version: number;
}

describe.skipIf(noEngine)('tt tasks', () => {
  const { run } = useCli();

  it('adds and lists tasks on the embedded engine, starting it on first use', async () => {
    const added = await run(['tasks', 'add', 'Buy', 'milk', '--priority', 'high', '--due', 'tomorrow']);
    expect(added.code).toBe(0);
    expect(added.stdout).toMatch(/^Created [0-9A-Z]{8} {2}Buy milk\n$/);
    expect(added.stderr).toContain('started the local engine');
    await run(['tasks', 'add', 'Write report']);
    const listed = await run(['tasks', 'list']);
    expect(listed.code).toBe(0);
    const lines = listed.stdout.trim().split('\n');
    expect(lines[0]).toMatch(/^ID\s+STATUS\s+PRIORITY\s+DUE\s+CATEGORY\s+TITLE$/);
    expect(lines[1]).toContain('Write report');
    expect(lines[2]).toMatch(/high\s+tomorrow\s+Buy milk/);
  });

  it('prints exactly one JSON document with --json', async () => {
    const added = await run(['tasks', 'add', 'Json task', '--json']);
    const task = added.json<TaskJson>();
    expect(Object.keys(task).slice(0, 3)).toEqual(['userId', 'taskId', 'title']);
    expect(added.stderr).toBe('');
    const listed = await run(['tasks', 'list', '--json', '--limit', '2']);
    const page = listed.json<{ items: TaskJson[]; nextCursor: string | null }>();
    expect(page.items).toHaveLength(2);
    expect(page.nextCursor).toEqual(expect.any(String));
    const rest = await run(['tasks', 'list', '--json', '--limit', '2', '--cursor', page.nextCursor!]);
    expect(rest.json<{ items: TaskJson[] }>().items[0]?.title).toBe('Buy milk');
    const all = await run(['tasks', 'list', '--json', '--limit', '1', '--all']);
    expect(all.json<{ items: TaskJson[] }>().items).toHaveLength(3);
  });

  it('shows, updates and completes tasks by their short id', async () => {
    const { taskId } = (await run(['tasks', 'add', 'Short ids', '--json'])).json<TaskJson>();
    const short = taskId.slice(-8);
    const shown = await run(['tasks', 'show', short.toLowerCase()]);
    expect(shown.stdout).toContain(taskId);
    const updated = await run([
      'tasks',
      'update',
      short,
      '--title',
      'Renamed',
      '--due',
      '2026-12-24',
      '--json',
    ]);
    expect(updated.json<TaskJson>()).toMatchObject({ title: 'Renamed', dueDate: '2026-12-24', version: 2 });
    const stale = await run(['tasks', 'update', short, '--title', 'Again', '--expected-version', '1']);
    expect(stale.code).toBe(4);
    expect(stale.stderr).toMatch(
      /^error VERSION_CONFLICT: Expected version 1 but the current version is 2\nhint: /,
    );
    const done = await run(['tasks', 'done', short, '--json']);
    expect(done.json()).toMatchObject({ counts: { updated: 1 } });
    expect(
      (await run(['tasks', 'list', '--status', 'done', '--json'])).json<{ items: TaskJson[] }>().items,
    ).toHaveLength(1);
    await run(['tasks', 'reopen', short]);
    expect(
      (await run(['tasks', 'list', '--status', 'done', '--json'])).json<{ items: unknown[] }>().items,
    ).toHaveLength(0);
  });

  it('reports per-item results for bulk commands and exits non-zero when an id is missing', async () => {
    const { taskId } = (await run(['tasks', 'add', 'Bulk one', '--json'])).json<TaskJson>();
    const result = await run(['tasks', 'done', taskId, '01J00000000000000000000000']);
    expect(result.code).toBe(3);
    expect(result.stdout).toMatch(/updated/);
    expect(result.stdout).toMatch(/not_found/);
    expect(result.stdout).toContain('1 updated, 1 not_found');
  });

  it('uses exit codes from the error table and one-line errors without stack traces', async () => {
    const missing = await run(['tasks', 'show', 'ZZZZZZZZ']);
    expect(missing.code).toBe(3);
    expect(missing.stderr).toMatch(/^error RESOURCE_NOT_FOUND: /);
    expect(missing.stderr).not.toContain('    at ');
    const invalid = await run(['tasks', 'add', 'x', '--priority', 'urgent']);
    expect(invalid.code).toBe(2);
    expect(invalid.stderr).toMatch(/^error VALIDATION_ERROR: priority: /);
    const badDue = await run(['tasks', 'add', 'x', '--due', 'someday']);
    expect(badDue.code).toBe(2);
    const usage = await run(['tasks', 'frobnicate']);
    expect(usage.code).toBe(2);
    const json = await run(['tasks', 'show', 'ZZZZZZZZ', '--json']);
    expect(json.json()).toMatchObject({ error: { code: 'RESOURCE_NOT_FOUND' } });
  });

  it('refuses to delete without --yes when not on a terminal, and deletes with it', async () => {
    const { taskId } = (await run(['tasks', 'add', 'Doomed', '--json'])).json<TaskJson>();
    const refused = await run(['tasks', 'rm', taskId]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('--yes');
    expect((await run(['tasks', 'show', taskId])).code).toBe(0);
    const removed = await run(['tasks', 'rm', taskId, '--yes', '--json']);
    expect(removed.json()).toMatchObject({ counts: { deleted: 1 } });
    expect((await run(['tasks', 'show', taskId])).code).toBe(3);
  });

  it('keeps idempotency keys: a retried add creates nothing new', async () => {
    const first = (
      await run(['tasks', 'add', 'Once', '--idempotency-key', 'cli-1', '--json'])
    ).json<TaskJson>();
    const again = await run(['tasks', 'add', 'Once', '--idempotency-key', 'cli-1']);
    expect(again.stdout).toContain(`Already created ${first.taskId.slice(-8)}`);
  });
});

describe.skipIf(noEngine)('tt categories', () => {
  const { run } = useCli();

  it('adds categories, files tasks under them by name, and keeps counts', async () => {
    await run(['categories', 'add', 'Home', '--color', '#2E8B57']);
    await run(['categories', 'add', 'Work']);
    const duplicate = await run(['categories', 'add', 'home']);
    expect(duplicate.code).toBe(4);
    expect(duplicate.stderr).toMatch(/^error CATEGORY_NAME_TAKEN/);
    const a = (await run(['tasks', 'add', 'Water plants', '--category', 'home', '--json'])).json<TaskJson>();
    const b = (await run(['tasks', 'add', 'Taxes', '--category', 'Home', '--json'])).json<TaskJson>();
    const listed = await run(['tasks', 'list', '--category', 'Home']);
    expect(listed.stdout).toMatch(/Home\s+Taxes/);
    await run(['tasks', 'move', a.taskId, '--category', 'Work']);
    const categories = (await run(['categories', 'list', '--json'])).json<{
      items: { name: string; taskCount: number }[];
    }>();
    expect(categories.items.map((c) => [c.name, c.taskCount])).toEqual([
      ['Home', 1],
      ['Work', 1],
    ]);
    const refused = await run(['categories', 'rm', 'Home', '--yes']);
    expect(refused.code).toBe(4);
    expect(refused.stderr).toContain('--reassign-to');
    const removed = await run(['categories', 'rm', 'Home', '--reassign-to', 'Work', '--yes', '--json']);
    expect(removed.json()).toMatchObject({ movedTasks: 1 });
    const shown = (await run(['tasks', 'show', b.taskId, '--json'])).json<TaskJson>();
    const work = (await run(['categories', 'show', 'work', '--json'])).json<{
      categoryId: string;
      taskCount: number;
    }>();
    expect(shown.categoryId).toBe(work.categoryId);
    expect(work.taskCount).toBe(2);
  });
});
