import type { Command } from 'commander';
import { lazyAction } from './lazy.ts';

const openApiModule = () => import('../commands/openapi.ts');

export function registerOpenApiCommand(program: Command): void {
  program
    .command('openapi')
    .description('print the OpenAPI 3.1 document of the HTTP API (generated from the request schemas)')
    .option('-o, --output <file>', 'write it to this file instead of stdout')
    .action(lazyAction(openApiModule, 'printOpenApi'));
}
