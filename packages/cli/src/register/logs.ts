import type { Command } from 'commander';
import { lazyAction } from './lazy.ts';
import { STACK_FLAG, STACK_HELP } from './stack.ts';

const logsModule = () => import('../commands/logs.ts');

export function registerLogsCommand(program: Command): void {
  program
    .command('logs <function>')
    .description("a function's CloudWatch logs, pretty-printed (e.g. tt logs tasks-create --since 1h --tail)")
    .option('--since <duration>', 'how far back: 30s, 10m, 2h, 1d', '10m')
    .option('--tail', 'keep following new lines until Ctrl-C')
    .option('--metrics', 'also show the Embedded Metric Format lines')
    .option(STACK_FLAG, STACK_HELP)
    .action(lazyAction(logsModule, 'showLogs'));
}
