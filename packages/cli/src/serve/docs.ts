import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import type { LocalPage } from '@tasktracker/local/api';

const RENDERER_PATH = '/docs/scalar-api-reference.js';

/**
 * Scalar's standalone bundle, which the build copies into dist/docs/: beside this chunk or one folder
 * up (dist/tt.mjs, dist/chunks/*.mjs). Undefined when the CLI runs unbuilt.
 */
function rendererFile(): string | undefined {
  return ['./docs/scalar-api-reference.js', '../docs/scalar-api-reference.js']
    .map((relative) => fileURLToPath(new URL(relative, import.meta.url)))
    .find((file) => existsSync(file));
}

/**
 * The page's settings: the document from this server, and nothing from anywhere else (no web fonts,
 * no telemetry, no agent or MCP services). "Try it" sends requests to this server, with the sample
 * key filled in when any key is accepted.
 */
function pageHtml(sampleKey: string | undefined): string {
  const configuration = {
    url: '/openapi.json',
    withDefaultFonts: false,
    defaultOpenAllTags: true,
    telemetry: false,
    showDeveloperTools: 'never',
    agent: { disabled: true },
    mcp: { disabled: true },
    hideClientButton: false,
    ...(sampleKey
      ? {
          authentication: {
            preferredSecurityScheme: 'apiKey',
            securitySchemes: { apiKey: { value: sampleKey } },
          },
        }
      : {}),
  };
  // The JSON goes inside a <script>: no "</" may close it early. The mount point must not be called
  // api-reference: the standalone bundle mounts a second reference, with its defaults, on that id.
  const settings = JSON.stringify(configuration).replace(/</g, '\\u003c');
  return `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <meta name="viewport" content="width=device-width, initial-scale=1" />
    <title>tasktracker API reference</title>
  </head>
  <body>
    <div id="reference"></div>
    <script src="${RENDERER_PATH}"></script>
    <script>
      Scalar.createApiReference('#reference', Object.assign(${settings}, { servers: [{ url: window.location.origin }] }));
    </script>
  </body>
</html>
`;
}

/** /docs and its renderer, for `tt local serve`; none when the CLI was not built (no renderer file). */
export function docsPages(sampleKey: string | undefined): Record<string, LocalPage> {
  const renderer = rendererFile();
  if (!renderer) return {};
  return {
    '/docs': { contentType: 'text/html; charset=utf-8', body: async () => pageHtml(sampleKey) },
    [RENDERER_PATH]: { contentType: 'text/javascript; charset=utf-8', body: () => readFile(renderer) },
  };
}
