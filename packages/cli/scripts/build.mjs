// Bundles the CLI into dist/tt.mjs: one file that loads in a fraction of the time the TypeScript
// sources take through a loader. Dependencies are bundled, except the DynamoDB Local package, whose jar
// is found on disk at run time.

import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = fileURLToPath(new URL('..', import.meta.url));

export async function buildCli() {
  await build({
    entryPoints: { tt: `${root}src/bin.ts` },
    outdir: `${root}dist`,
    outExtension: { '.js': '.mjs' },
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    conditions: ['@tasktracker/source'],
    external: ['amplify-dynamodb-simulator'],
    // Bundled CommonJS dependencies still call require(); give them one.
    banner: {
      js: "import { createRequire as __ttRequire } from 'node:module'; const require = __ttRequire(import.meta.url);",
    },
    minify: true,
    sourcemap: 'linked',
    legalComments: 'none',
    logLevel: 'warning',
  });
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await buildCli();
