import type { Command } from 'commander';
import { lazyAction } from './lazy.ts';

const stackModule = () => import('../commands/stack.ts');

/** --stack (tt info, logs, destroy): a stack deployed under another name (aws cloudformation deploy, ...). */
export const STACK_FLAG = '--stack <name>';
export const STACK_HELP = 'a stack deployed under another name (default tasktracker-<stage>)';

export function registerStackCommands(program: Command): void {
  program
    .command('info')
    .description("the stage's stack: status, outputs, functions, routes and tables")
    .option(STACK_FLAG, STACK_HELP)
    .option(
      '--show-api-key',
      "also print the default API key's value (read from its secret in Secrets Manager)",
    )
    .action(lazyAction(stackModule, 'showStackInfo'));

  program
    .command('destroy')
    .description("empty the stage's buckets and delete its stack (prod needs --yes)")
    .option('-y, --yes', 'required for prod')
    .option(STACK_FLAG, STACK_HELP)
    .option(
      '--artifact-bucket <name>',
      'the artifact bucket deploy used (default tasktracker-artifacts-<account>-<region>)',
    )
    .action(lazyAction(stackModule, 'destroyStage'));
}
