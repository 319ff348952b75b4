import type { Command } from 'commander';
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
