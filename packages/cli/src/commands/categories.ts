import type { DeleteCategoryOptions } from '@tasktracker/core';
import { renderCategories, shortId } from '../format/tasks.ts';
import { ExitCode, withSession } from '../runtime/action.ts';
import { confirm } from '../runtime/confirm.ts';
import type { Session } from '../runtime/session.ts';
import { findCategory } from './parse.ts';

const lookup = async (session: Session, reference: string) =>
  findCategory(await session.tracker.categories.list(session.userId), reference);

export const addCategory = withSession(
  async (session, words: string[], flags: Record<string, string | undefined>) => {
    const { tracker, userId, output } = session;
    const { result: category, replayed } = await tracker.categories.create(
      userId,
      {
        name: words.join(' '),
        ...(flags.color ? { color: flags.color } : {}),
        ...(flags.icon ? { icon: flags.icon } : {}),
      },
      flags.idempotencyKey ? { idempotencyKey: flags.idempotencyKey } : {},
    );
    output.result(
      { ...category, replayed },
      () => `Created category ${shortId(category.categoryId)}  ${category.name}`,
    );
  },
);

export const listCategories = withSession(async (session) => {
  const items = await session.tracker.categories.list(session.userId);
  session.output.result({ items }, () => renderCategories(items, session.output));
});

export const showCategory = withSession(async (session, reference: string) => {
  const category = await lookup(session, reference);
  session.output.result(category, () =>
    Object.entries(category)
      .map(([field, value]) => `${session.output.paint('gray', field.padEnd(12))}${value}`)
      .join('\n'),
  );
});

export const updateCategory = withSession(
  async (session, reference: string, flags: Record<string, string | undefined>) => {
    const category = await lookup(session, reference);
    const updated = await session.tracker.categories.update(session.userId, category.categoryId, {
      ...(flags.name ? { name: flags.name } : {}),
      ...(flags.color ? { color: flags.color } : {}),
      ...(flags.icon !== undefined ? { icon: flags.icon === '' ? null : flags.icon } : {}),
      ...(flags.expectedVersion ? { expectedVersion: Number(flags.expectedVersion) } : {}),
    });
    session.output.result(updated, () => `Updated category ${updated.name} to version ${updated.version}`);
  },
);

export const removeCategory = withSession(
  async (
    session,
    reference: string,
    flags: { reassignTo?: string; uncategorize?: boolean; yes?: boolean },
  ) => {
    const category = await lookup(session, reference);
    const options: DeleteCategoryOptions = flags.reassignTo
      ? { reassignTo: (await lookup(session, flags.reassignTo)).categoryId }
      : flags.uncategorize
        ? { uncategorize: true as const }
        : {};
    if (!(await confirm(`Delete category "${category.name}"?`, flags.yes))) return new ExitCode(1);
    const { movedTasks } = await session.tracker.categories.delete(
      session.userId,
      category.categoryId,
      options,
    );
    session.output.result(
      { deleted: category.categoryId, movedTasks },
      () => `Deleted category ${category.name}${movedTasks ? ` (${movedTasks} task(s) moved)` : ''}`,
    );
  },
);
