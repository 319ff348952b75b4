import type { Command } from 'commander';
import { lazyAction } from './lazy.ts';

const categoriesModule = () => import('../commands/categories.ts');

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
    .action(lazyAction(categoriesModule, 'addCategory'));

  categories
    .command('list')
    .alias('ls')
    .description('list categories with their task counts')
    .action(lazyAction(categoriesModule, 'listCategories'));

  categories
    .command('show')
    .argument('<category>', 'name or id')
    .description('show one category')
    .action(lazyAction(categoriesModule, 'showCategory'));

  categories
    .command('update')
    .argument('<category>', 'name or id')
    .description('rename or recolour a category')
    .option('--name <name>', 'new name')
    .option('--color <#RRGGBB>', 'new colour')
    .option('--icon <icon>', 'new icon ("" clears it)')
    .option('--expected-version <n>', 'fail with a conflict if it changed since this version')
    .action(lazyAction(categoriesModule, 'updateCategory'));

  categories
    .command('rm')
    .argument('<category>', 'name or id')
    .description('delete a category (a non-empty one needs --reassign-to or --uncategorize)')
    .option('--reassign-to <category>', 'move its tasks to this category first')
    .option('--uncategorize', 'leave its tasks without a category')
    .option('-y, --yes', 'do not ask')
    .action(lazyAction(categoriesModule, 'removeCategory'));
}
