// Bundles the CLI into dist/tt.mjs: one file that loads in a fraction of the time the TypeScript
// sources take through a loader. Dependencies are bundled, except the DynamoDB Local package, whose jar
// is found on disk at run time.
//
// `--for-package` (the prepack script) builds what the npm package ships: the bundle without source
// maps, and dist/infra with the template and every handler's zip (scripts/embed-infra.ts), so that an
// installed `tt` packages, deploys and serves the stack from any directory.

import { execFileSync } from 'node:child_process';
import { copyFile, mkdir, readFile, rm } from 'node:fs/promises';
import { builtinModules, createRequire } from 'node:module';
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

/** Exports of the builtins loaded on first use: commander imports child_process for a feature tt never uses. */
const LAZY_BUILTINS = ['child_process'];

/**
 * Node builtins are required, not imported. An ESM import of a builtin makes Node build a facade that
 * reads every export, and reading `fs.promises`, `process.report` or util's exports loads some thirty
 * internal modules (fs/promises, readline, worker_threads, the report) that `tt --help` never uses:
 * about 4 ms of a 20 ms start-up. `require()` reads only what the code uses. LAZY_BUILTINS are not even
 * required until one of their exports is read.
 */
const requireBuiltins = {
  name: 'require-builtins',
  setup(build) {
    const builtin = new Set(builtinModules);
    build.onResolve({ filter: /^(node:)?[a-z_/]+$/ }, (args) => {
      const name = args.path.replace(/^node:/, '');
      // The stub's own require() is the real, external builtin.
      if (args.namespace === 'builtin' || !builtin.has(name)) return undefined;
      return { path: name, namespace: 'builtin' };
    });
    build.onLoad({ filter: /.*/, namespace: 'builtin' }, ({ path: name }) => {
      const load = `require('node:${name}')`;
      if (!LAZY_BUILTINS.includes(name)) return { contents: `module.exports = ${load};`, loader: 'js' };
      const names = Object.keys(createRequire(import.meta.url)(`node:${name}`));
      const getters = names.map((key) => `get ${key}() { return real()[${JSON.stringify(key)}]; }`);
      return {
        contents: `let cached; const real = () => (cached ??= ${load});\nmodule.exports = { ${getters.join(', ')} };`,
        loader: 'js',
      };
    });
  },
};

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
    plugins: [requireBuiltins],
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
