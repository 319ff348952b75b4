import { writeFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { withGlobals } from '../runtime/action.ts';
import { outputFor } from '../runtime/session.ts';

/** The document as a file holds it (docs/openapi.json): two-space JSON and a final newline. */
export const documentText = (document: unknown) => `${JSON.stringify(document, null, 2)}\n`;

export function registerOpenApiCommand(program: Command): void {
  program
    .command('openapi')
    .description('print the OpenAPI 3.1 document of the HTTP API (generated from the request schemas)')
    .option('-o, --output <file>', 'write it to this file instead of stdout')
    .action(
      withGlobals(async (globals, flags: { output?: string }) => {
        // Loaded on demand: the schemas of every route, which no other command needs at start.
        const { buildOpenApiDocument } = await import('@tasktracker/handlers');
        const text = documentText(buildOpenApiDocument());
        if (!flags.output) {
          process.stdout.write(text);
          return undefined;
        }
        await writeFile(flags.output, text);
        outputFor(globals).note(`wrote the OpenAPI document to ${flags.output}`);
        return undefined;
      }),
    );
}
