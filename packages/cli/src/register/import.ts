import type { Command } from 'commander';
import { lazyAction } from './lazy.ts';

const importModule = () => import('../commands/import.ts');

export function registerImportCommand(program: Command): void {
  program
    .command('import')
    .description('import tasks from a CSV (export columns) or JSON Lines file; each row at most once')
    .argument('<file>', 'a .csv or .jsonl file')
    .option('--dry-run', 'check every row, write nothing')
    .option('-f, --format <format>', 'csv or jsonl (default: from the file name)')
    .action(lazyAction(importModule, 'importFile'));
}
