import { writeFile } from 'node:fs/promises';
import { withGlobals } from '../runtime/action.ts';
import { outputFor } from '../runtime/session.ts';

/** The document as a file holds it (docs/openapi.json): two-space JSON and a final newline. */
export const documentText = (document: unknown) => `${JSON.stringify(document, null, 2)}\n`;

export const printOpenApi = withGlobals(async (globals, flags: { output?: string }) => {
  // The schemas of every route, which no other command needs.
  const { buildOpenApiDocument } = await import('@tasktracker/handlers');
  const text = documentText(buildOpenApiDocument());
  if (!flags.output) {
    process.stdout.write(text);
    return undefined;
  }
  await writeFile(flags.output, text);
  outputFor(globals).note(`wrote the OpenAPI document to ${flags.output}`);
  return undefined;
});
