import { type Command, Option } from 'commander';
import { lazyAction } from './lazy.ts';

const serveModule = () => import('../commands/serve.ts');

export function registerServeCommand(local: Command): void {
  local
    .command('serve')
    .description(
      'serve the HTTP API from cloudformation/ on loopback, handlers in-process, data in the local engine',
    )
    .option('--port <port>', 'port to listen on', '3000')
    .option(
      '--api-key <key...>',
      'accept only these API keys (default: any non-empty key, each its own user)',
    )
    .addOption(
      new Option(
        '--auth <mode>',
        'apiKey: an x-api-key names the user; jwt: a bearer token from `tt local token` does (as AuthMode cognito); both: a token names the user and a key is required too',
      )
        .choices(['apiKey', 'jwt', 'both'])
        .default('apiKey'),
    )
    .option(
      '--allowed-origins <origins>',
      'CORS allow-list, comma-separated',
      'http://localhost:3000,http://127.0.0.1:3000',
    )
    .option(
      '--template <file>',
      "the CloudFormation template (default: the checkout's, else the one this package carries)",
    )
    .action(lazyAction(serveModule, 'serveApi'));
}

const tokenModule = () => import('../commands/local-token.ts');

export function registerLocalTokenCommand(local: Command): void {
  local
    .command('token')
    .description(
      'print a bearer token for `tt local serve --auth jwt|both` naming --user <id> (its sub), signed with the local key in the data directory',
    )
    // --user is the global option (the user whose tasks): here, the user the token names (its sub).
    .option('--expires <span>', 'lifetime: 30m, 1h, 2d, or seconds', '1h')
    .action(lazyAction(tokenModule, 'printLocalToken'));
}
