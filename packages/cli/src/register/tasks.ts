import type { Command } from 'commander';
import { addFilterOptions } from './filters.ts';
import { lazyAction } from './lazy.ts';

const tasksModule = () => import('../commands/tasks.ts');

export function registerTaskCommands(program: Command): void {
  const tasks = program
    .command('tasks')
    .description('add, list, show, update, complete, move and remove tasks');

  tasks
    .command('add')
    .description('add a task')
    .argument('<title...>', 'the title (words are joined with spaces)')
    .option('-d, --description <text>', 'longer description')
    .option('-p, --priority <priority>', 'low, medium (default) or high')
    .option('-c, --category <category>', 'category name or id')
    .option('--due <when>', 'YYYY-MM-DD, an ISO instant, today, tomorrow, +3d, +2w')
    .option('--idempotency-key <key>', 'a retry with the same key creates nothing new')
    .action(lazyAction(tasksModule, 'addTask'));

  addFilterOptions(
    tasks.command('list').alias('ls').description('list tasks, newest first unless --sort says otherwise'),
  )
    .option('-n, --limit <n>', 'tasks per page, 1-100 (default 20)')
    .option('--all', 'follow every page')
    .option('--cursor <cursor>', 'continue from a previous page')
    .action(lazyAction(tasksModule, 'listTasks'));

  tasks
    .command('show')
    .description('show one task')
    .argument('<id>', 'task id, or its last characters')
    .action(lazyAction(tasksModule, 'showTask'));

  tasks
    .command('update')
    .description('change fields of a task')
    .argument('<id>', 'task id, or its last characters')
    .option('-t, --title <title>', 'new title')
    .option('-d, --description <text>', 'new description ("" clears it)')
    .option('-p, --priority <priority>', 'low, medium or high')
    .option('-c, --category <category>', 'category name or id ("none" clears it)')
    .option('--due <when>', 'new due date ("none" clears it)')
    .option('--done', 'mark done')
    .option('--open', 'mark open')
    .option('--expected-version <n>', 'fail with a conflict if the task has changed since this version')
    .action(lazyAction(tasksModule, 'updateTask'));

  const bulk = (name: string, description: string, action: 'markDone' | 'reopenTasks') =>
    tasks
      .command(name)
      .description(description)
      .argument('<ids...>', 'task ids, or their last characters')
      .action(lazyAction(tasksModule, action));

  bulk('done', 'mark tasks done', 'markDone');
  bulk('reopen', 'mark tasks open again', 'reopenTasks');

  tasks
    .command('move')
    .description('move tasks to a category')
    .argument('<ids...>', 'task ids, or their last characters')
    .requiredOption('-c, --category <category>', 'category name or id ("none" to uncategorise)')
    .action(lazyAction(tasksModule, 'moveTasks'));

  tasks
    .command('rm')
    .description('delete tasks')
    .argument('<ids...>', 'task ids, or their last characters')
    .option('-y, --yes', 'do not ask')
    .action(lazyAction(tasksModule, 'removeTasks'));
}
