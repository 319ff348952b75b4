import type { BulkResult, Task, UpdateTaskInput } from '@tasktracker/core';
import { renderBulk, renderTask, renderTasks, shortId } from '../format/tasks.ts';
import { ExitCode, withSession } from '../runtime/action.ts';
import { confirm } from '../runtime/confirm.ts';
import type { Session } from '../runtime/session.ts';
import { type ListFlags, listQuery } from './filters.ts';
import { findCategory, NO_CATEGORY, parseDue, resolveCategoryId } from './parse.ts';

async function categoriesById(session: Session) {
  return new Map((await session.tracker.categories.list(session.userId)).map((c) => [c.categoryId, c]));
}

const resolveIds = (session: Session, references: string[]) =>
  Promise.all(references.map((reference) => session.tracker.tasks.resolveId(session.userId, reference)));

/** Bulk results exit 0 only when every id succeeded; otherwise with the code of the worst outcome. */
function bulkExit(result: BulkResult): ExitCode | undefined {
  if (result.counts.failed > 0) return new ExitCode(1);
  if (result.counts.conflict > 0) return new ExitCode(4);
  if (result.counts.not_found > 0) return new ExitCode(3);
  return undefined;
}

export const addTask = withSession(
  async (session, words: string[], flags: Record<string, string | undefined>) => {
    const { tracker, userId, output } = session;
    const categoryId = flags.category ? await resolveCategoryId(tracker, userId, flags.category) : undefined;
    const { result: task, replayed } = await tracker.tasks.create(
      userId,
      {
        title: words.join(' '),
        ...(flags.description ? { description: flags.description } : {}),
        ...(flags.priority ? { priority: flags.priority as Task['priority'] } : {}),
        ...(categoryId ? { categoryId } : {}),
        ...(flags.due ? { dueDate: parseDue(flags.due) } : {}),
      },
      flags.idempotencyKey ? { idempotencyKey: flags.idempotencyKey } : {},
    );
    output.result(
      { ...task, replayed },
      () =>
        `${replayed ? 'Already created' : 'Created'} ${output.paint('bold', shortId(task.taskId))}  ${task.title}`,
    );
  },
);

export const listTasks = withSession(async (session, flags: ListFlags) => {
  const { tracker, userId, output } = session;
  const query = await listQuery(session, flags);
  const items: Task[] = [];
  let nextCursor: string | null = null;
  do {
    const page = await tracker.tasks.list(userId, {
      ...query,
      ...(nextCursor ? { cursor: nextCursor } : {}),
    });
    items.push(...page.items);
    nextCursor = page.nextCursor;
  } while (flags.all && nextCursor);
  const needsNames = !output.options.json && items.some((task) => task.categoryId);
  const names = needsNames ? await categoriesById(session) : new Map();
  output.result({ items, nextCursor }, () => {
    const more = nextCursor ? `\n${output.paint('gray', `more: tt tasks list --cursor ${nextCursor}`)}` : '';
    return `${renderTasks(items, names, output)}${more}`;
  });
});

export const showTask = withSession(async (session, reference: string) => {
  const { tracker, userId, output } = session;
  const task = await tracker.tasks.get(userId, await tracker.tasks.resolveId(userId, reference));
  const category = task.categoryId ? await tracker.categories.get(userId, task.categoryId) : undefined;
  output.result(task, () => renderTask(task, category, output));
});

export const updateTask = withSession(
  async (session, reference: string, flags: Record<string, string | boolean | undefined>) => {
    const { tracker, userId, output } = session;
    const id = await tracker.tasks.resolveId(userId, reference);
    const text = (name: string) => (typeof flags[name] === 'string' ? (flags[name] as string) : undefined);
    const category = text('category');
    const due = text('due');
    const description = text('description');
    const input: UpdateTaskInput = {
      ...(text('title') !== undefined ? { title: text('title') } : {}),
      ...(description !== undefined ? { description: description === '' ? null : description } : {}),
      ...(text('priority') ? { priority: text('priority') as Task['priority'] } : {}),
      ...(category !== undefined
        ? {
            categoryId: NO_CATEGORY.has(category.toLowerCase())
              ? null
              : findCategory(await tracker.categories.list(userId), category).categoryId,
          }
        : {}),
      ...(due !== undefined ? { dueDate: NO_CATEGORY.has(due.toLowerCase()) ? null : parseDue(due) } : {}),
      ...(flags.done ? { completed: true } : flags.open ? { completed: false } : {}),
      ...(text('expectedVersion') ? { expectedVersion: Number(text('expectedVersion')) } : {}),
    };
    const task = await tracker.tasks.update(userId, id, input);
    output.result(
      task,
      () => `Updated ${output.paint('bold', shortId(task.taskId))} to version ${task.version}`,
    );
  },
);

const bulk = (run: (session: Session, ids: string[]) => Promise<BulkResult>) =>
  withSession(async (session, references: string[]) => {
    const result = await run(session, await resolveIds(session, references));
    session.output.result(result, () => renderBulk(result, session.output));
    return bulkExit(result);
  });

export const markDone = bulk((s, ids) => s.tracker.tasks.setCompleted(s.userId, ids, true));
export const reopenTasks = bulk((s, ids) => s.tracker.tasks.setCompleted(s.userId, ids, false));

export const moveTasks = withSession(async (session, references: string[], flags: { category: string }) => {
  const { tracker, userId, output } = session;
  const categoryId = NO_CATEGORY.has(flags.category.toLowerCase())
    ? null
    : await resolveCategoryId(tracker, userId, flags.category);
  const result = await tracker.tasks.moveToCategory(
    userId,
    await resolveIds(session, references),
    categoryId,
  );
  output.result(result, () => renderBulk(result, output));
  return bulkExit(result);
});

export const removeTasks = withSession(async (session, references: string[], flags: { yes?: boolean }) => {
  const { tracker, userId, output } = session;
  const ids = await resolveIds(session, references);
  if (!(await confirm(`Delete ${ids.length} task(s)?`, flags.yes))) return new ExitCode(1);
  const result = await tracker.tasks.deleteMany(userId, ids);
  output.result(result, () => renderBulk(result, output));
  return bulkExit(result);
});
