import type { DeleteCategoryOptions } from '@tasktracker/core';
import type { Command } from 'commander';
import { renderCategories, shortId } from '../format/tasks.ts';
import { ExitCode, withSession } from '../runtime/action.ts';
import { confirm } from '../runtime/confirm.ts';
import type { Session } from '../runtime/session.ts';
import { findCategory } from './parse.ts';

const lookup = async (session: Session, reference: string) =>
  findCategory(await session.tracker.categories.list(session.userId), reference);

export function registerCategoryCommands(program: Command): void {
  const categories = program
    .command('categories')
    .alias('cat')
    .description('add, list, show, update and remove categories');

  categories
    .command('add')
    .description('add a category')
    .argument('<name...>', 'the name (unique, case-insensitive)')
    .option('--color <#RRGGBB>', 'colour, e.g. #1E90FF')
    .option('--icon <icon>', 'an icon name or emoji (up to 32 characters)')
    .option('--idempotency-key <key>', 'a retry with the same key creates nothing new')
    .action(
      withSession(async (session, words: string[], flags: Record<string, string | undefined>) => {
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
      }),
    );

  categories
    .command('list')
    .alias('ls')
    .description('list categories with their task counts')
    .action(
      withSession(async (session) => {
        const items = await session.tracker.categories.list(session.userId);
        session.output.result({ items }, () => renderCategories(items, session.output));
      }),
    );

  categories
    .command('show')
    .argument('<category>', 'name or id')
    .description('show one category')
    .action(
      withSession(async (session, reference: string) => {
        const category = await lookup(session, reference);
        session.output.result(category, () =>
          Object.entries(category)
            .map(([field, value]) => `${session.output.paint('gray', field.padEnd(12))}${value}`)
            .join('\n'),
        );
      }),
    );

  categories
    .command('update')
    .argument('<category>', 'name or id')
    .description('rename or recolour a category')
    .option('--name <name>', 'new name')
    .option('--color <#RRGGBB>', 'new colour')
    .option('--icon <icon>', 'new icon ("" clears it)')
    .option('--expected-version <n>', 'fail with a conflict if it changed since this version')
    .action(
      withSession(async (session, reference: string, flags: Record<string, string | undefined>) => {
        const category = await lookup(session, reference);
        const updated = await session.tracker.categories.update(session.userId, category.categoryId, {
          ...(flags.name ? { name: flags.name } : {}),
          ...(flags.color ? { color: flags.color } : {}),
          ...(flags.icon !== undefined ? { icon: flags.icon === '' ? null : flags.icon } : {}),
          ...(flags.expectedVersion ? { expectedVersion: Number(flags.expectedVersion) } : {}),
        });
        session.output.result(
          updated,
          () => `Updated category ${updated.name} to version ${updated.version}`,
        );
      }),
    );

  categories
    .command('rm')
    .argument('<category>', 'name or id')
    .description('delete a category (a non-empty one needs --reassign-to or --uncategorize)')
    .option('--reassign-to <category>', 'move its tasks to this category first')
    .option('--uncategorize', 'leave its tasks without a category')
    .option('-y, --yes', 'do not ask')
    .action(
      withSession(
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
      ),
    );
}
