import type { Command } from 'commander';
import { addFilterOptions } from './filters.ts';
import { lazyAction } from './lazy.ts';

const exportModule = () => import('../commands/export.ts');

export function registerExportCommand(program: Command): void {
  addFilterOptions(
    program.command('export').description('stream tasks as CSV or JSON Lines to stdout or a file'),
  )
    .option('-f, --format <format>', 'csv (default) or jsonl')
    .option('-o, --output <file>', 'write to this file (written whole or not at all) instead of stdout')
    .action(lazyAction(exportModule, 'exportTasks'));
}
