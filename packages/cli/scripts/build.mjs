// Bundles the CLI into dist/tt.mjs: one file that loads in a fraction of the time the TypeScript
// sources take through a loader. Dependencies are bundled, except the DynamoDB Local package, whose jar
// is found on disk at run time.

import { rm } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = fileURLToPath(new URL('..', import.meta.url));

export async function buildCli() {
  // Chunk names carry content hashes: clear the old ones.
  await rm(`${root}dist`, { recursive: true, force: true });
  await build({
    entryPoints: { tt: `${root}src/bin.ts` },
    outdir: `${root}dist`,
    outExtension: { '.js': '.mjs' },
    bundle: true,
    platform: 'node',
    format: 'esm',
    // Handlers load only for `tt local serve`: each in its own chunk, off the path of every other command.
    splitting: true,
    chunkNames: 'chunks/[name]-[hash]',
    target: 'node22',
    conditions: ['@tasktracker/source'],
    // Kept out of the bundle: the jar is found on disk, s3rver's credential registry must be the one we
    // register with, and esbuild (for tt package) finds its native binary beside its own package.
    external: ['amplify-dynamodb-simulator', '@20minutes/s3rver', 'esbuild'],
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
