import type { Command } from 'commander';
import { lazyAction } from './lazy.ts';

const stackModule = () => import('../commands/stack.ts');

export function registerStackCommands(program: Command): void {
  program
    .command('info')
    .description("the stage's stack: status, outputs, functions, routes and tables")
    .action(lazyAction(stackModule, 'showStackInfo'));

  program
    .command('destroy')
    .description("empty the stage's buckets and delete its stack (prod needs --yes)")
    .option('-y, --yes', 'required for prod')
    .option(
      '--artifact-bucket <name>',
      'the artifact bucket deploy used (default tasktracker-artifacts-<account>-<region>)',
    )
    .action(lazyAction(stackModule, 'destroyStage'));
}
