import type { Command } from 'commander';
import { lazyAction } from './lazy.ts';
import { registerLocalTokenCommand, registerServeCommand } from './serve.ts';

const localModule = () => import('../commands/local.ts');

export function registerLocalCommands(program: Command): void {
  const local = program
    .command('local')
    .description('the embedded DynamoDB Local engine (no AWS account, no Docker)');

  local
    .command('start')
    .description('start the engine in the background (commands start it on demand too)')
    .action(lazyAction(localModule, 'startEngine'));

  local
    .command('stop')
    .description('stop the background engine; the data stays')
    .action(lazyAction(localModule, 'stopEngine'));

  local
    .command('status')
    .description('is the engine running, where, and how big is its data')
    .action(lazyAction(localModule, 'engineStatus'));

  local
    .command('reset')
    .description('stop the engine and delete all local data')
    .option('-y, --yes', 'do not ask')
    .action(lazyAction(localModule, 'resetEngine'));

  registerServeCommand(local);
  registerLocalTokenCommand(local);
}
