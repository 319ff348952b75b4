// Bundles the CLI into dist/tt.mjs: one file that loads in a fraction of the time the TypeScript
// sources take through a loader. Dependencies are bundled, except the DynamoDB Local package, whose jar
// is found on disk at run time.

import { copyFile, mkdir, readFile, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = fileURLToPath(new URL('..', import.meta.url));

/** Where `tt local serve` finds the API reference renderer: inside this package, nothing fetched. */
export const DOCS_RENDERER = 'docs/scalar-api-reference.js';

/** The package folder of @scalar/api-reference (its exports do not name the browser bundle). */
async function scalarPackageDir() {
  let dir = dirname(createRequire(import.meta.url).resolve('@scalar/api-reference'));
  for (;;) {
    const manifest = await readFile(join(dir, 'package.json'), 'utf8').catch(() => undefined);
    if (manifest && JSON.parse(manifest).name === '@scalar/api-reference') return dir;
    if (dirname(dir) === dir) throw new Error('@scalar/api-reference is not installed');
    dir = dirname(dir);
  }
}

/** Scalar's standalone browser bundle (MIT), copied into dist/docs/. */
async function copyDocsRenderer() {
  const scalar = await scalarPackageDir();
  await mkdir(`${root}dist/docs`, { recursive: true });
  await copyFile(join(scalar, 'dist/browser/standalone.js'), `${root}dist/${DOCS_RENDERER}`);
}

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
  await copyDocsRenderer();
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await buildCli();
