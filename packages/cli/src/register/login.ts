import type { Command } from 'commander';
import { lazyAction } from './lazy.ts';
import { STACK_FLAG, STACK_HELP } from './stack.ts';

const loginModule = () => import('../commands/login.ts');

export function registerLoginCommands(program: Command): void {
  program
    .command('login')
    .description(
      "sign in to the stage's Cognito user pool (AuthMode cognito or both); the tokens are kept in your config directory (mode 0600) and refreshed when they expire",
    )
    .option('--username <name>', 'the Cognito user to sign in as')
    .option('--password-stdin', 'read the password from stdin (else TASKTRACKER_PASSWORD)')
    .option('--client-id <id>', "the app client (default: the stack's UserPoolClientId output)")
    .option(
      '--print-token',
      'do not sign in: print a valid ID token, refreshed with the saved refresh token if it expired',
    )
    .option(STACK_FLAG, STACK_HELP)
    .action(lazyAction(loginModule, 'login'));

  program
    .command('logout')
    .description("forget the stage's saved sign-in")
    .action(lazyAction(loginModule, 'logout'));
}
