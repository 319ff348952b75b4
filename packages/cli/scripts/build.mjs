// Bundles the CLI into dist/tt.mjs: one file that loads in a fraction of the time the TypeScript
// sources take through a loader. Dependencies are bundled, except the DynamoDB Local package, whose jar
// is found on disk at run time.
//
// `--for-package` (the prepack script) builds what the npm package ships: the bundle without source
// maps, and dist/infra with the template and every handler's zip (scripts/embed-infra.ts), so that an
// installed `tt` packages, deploys and serves the stack from any directory.

import { execFileSync } from 'node:child_process';
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

export async function buildCli({ sourcemap = true } = {}) {
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
    // register with, and esbuild (for tt package in a checkout) is the checkout's own.
    external: ['amplify-dynamodb-simulator', '@20minutes/s3rver', 'esbuild'],
    // Bundled CommonJS dependencies still call require(); give them one.
    banner: {
      js: "import { createRequire as __ttRequire } from 'node:module'; const require = __ttRequire(import.meta.url);",
    },
    minify: true,
    sourcemap: sourcemap ? 'linked' : false,
    legalComments: 'none',
    logLevel: 'warning',
  });
  await copyDocsRenderer();
}

export function embedInfrastructure() {
  execFileSync(
    process.execPath,
    ['--conditions=@tasktracker/source', '--import', 'tsx', `${root}scripts/embed-infra.ts`],
    { cwd: root, stdio: 'inherit' },
  );
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const forPackage = process.argv.includes('--for-package');
  await buildCli({ sourcemap: !forPackage });
  if (forPackage) embedInfrastructure();
}
