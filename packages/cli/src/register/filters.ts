import type { Command } from 'commander';

/** The list filters, shared by `tt tasks list` and `tt export` (read by commands/filters.ts). */
export function addFilterOptions(command: Command): Command {
  return command
    .option('-s, --status <status>', 'open or done')
    .option('-c, --category <category>', 'category name or id')
    .option('-p, --priority <priority>', 'low, medium or high')
    .option('--due-before <when>', 'due on or before (date, today, +3d...)')
    .option('--due-after <when>', 'due on or after')
    .option('--search <q>', 'every word must appear in the title or description')
    .option('--sort <field>', 'createdAt (default), dueDate or priority')
    .option('--asc', 'ascending order')
    .option('--desc', 'descending order');
}
