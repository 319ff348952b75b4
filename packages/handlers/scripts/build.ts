/**
 * Bundles every handler into dist/<name>/index.mjs (+ .map): ESM, minified, tree-shaken, node20, with
 * the AWS SDK bundled at the version pinned in package.json rather than the runtime's. esbuild output
 * is a pure function of its input, so the same sources give the same bytes (checked by --check).
 * Each bundle is also zipped as dist/<name>.zip (index.mjs + index.mjs.map), the artifact that
 * cloudformation/tasktracker.yaml expects at <ArtifactPrefix><name>.zip.
 *
 *   node --conditions=@tasktracker/source --import tsx packages/handlers/scripts/build.ts [--check]
 */
import { createHash } from 'node:crypto';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type BuildOptions, build, type Plugin } from 'esbuild';
import { HANDLER_NAMES, type HandlerName, handlerEntry } from '../src/manifest.ts';
import { zipFiles } from './zip.ts';

export const PACKAGE_DIR = join(dirname(fileURLToPath(import.meta.url)), '..');
export const DIST_DIR = join(PACKAGE_DIR, 'dist');

/**
 * Our workspace packages do nothing on import (CONVENTIONS.md), so a bundle may drop every module of
 * theirs it does not use: without this, esbuild keeps all of core (and the DynamoDB client it imports)
 * in handlers such as /health that never touch it.
 */
const WORKSPACE_SOURCE = /\/packages\/(core|handlers)\/src\//;

const workspaceHasNoSideEffects: Plugin = {
  name: 'workspace-has-no-side-effects',
  setup(builder) {
    builder.onResolve({ filter: /.*/ }, async (args) => {
      if (args.pluginData === 'resolved' || args.kind === 'entry-point') return undefined;
      const fromWorkspace = args.path.startsWith('@tasktracker/') || WORKSPACE_SOURCE.test(args.importer);
      if (!fromWorkspace) return undefined;
      const resolved = await builder.resolve(args.path, {
        kind: args.kind,
        resolveDir: args.resolveDir,
        importer: args.importer,
        pluginData: 'resolved',
      });
      if (resolved.errors.length > 0 || !WORKSPACE_SOURCE.test(resolved.path)) return resolved;
      return { ...resolved, sideEffects: false };
    });
  },
};

/** The options every bundle shares; bench/bundles.ts builds its baseline with the same ones. */
export const BUNDLE_OPTIONS: BuildOptions = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'esm',
  minify: true,
  treeShaking: true,
  sourcemap: true,
  // Source maps name files relative to the repository, never by this machine's absolute path.
  sourceRoot: '',
  legalComments: 'none',
  conditions: ['@tasktracker/source'],
  mainFields: ['module', 'main'],
  // Some bundled CommonJS (pino, parts of the SDK) calls require() for node builtins.
  banner: { js: "import{createRequire as __cr}from'node:module';const require=__cr(import.meta.url);" },
  logLevel: 'warning',
  plugins: [workspaceHasNoSideEffects],
};

export interface BuiltHandler {
  name: HandlerName;
  file: string;
  zip: string;
  bytes: number;
  sha256: string;
}

/** Bundles one entry module with the shared options (bench/bundles.ts builds its baseline with it). */
export async function buildBundle(entry: string, outfile: string): Promise<void> {
  await build({ ...BUNDLE_OPTIONS, entryPoints: [entry], outfile });
}

export async function buildHandlers(names: readonly HandlerName[] = HANDLER_NAMES): Promise<BuiltHandler[]> {
  rmSync(DIST_DIR, { recursive: true, force: true });
  const built: BuiltHandler[] = [];
  // One at a time: two cores, and esbuild already uses both for one bundle.
  for (const name of names) {
    const file = join(DIST_DIR, name, 'index.mjs');
    await buildBundle(join(PACKAGE_DIR, 'src', handlerEntry(name)), file);
    const bytes = readFileSync(file);
    const zip = join(DIST_DIR, `${name}.zip`);
    writeFileSync(
      zip,
      zipFiles([
        { name: 'index.mjs', data: bytes },
        { name: 'index.mjs.map', data: readFileSync(`${file}.map`) },
      ]),
    );
    const sha256 = createHash('sha256').update(readFileSync(zip)).digest('hex');
    built.push({ name, file, zip, bytes: bytes.length, sha256 });
  }
  return built;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const first = await buildHandlers();
  if (process.argv.includes('--check')) {
    const second = await buildHandlers();
    const differing = second.filter((bundle, index) => bundle.sha256 !== first[index]?.sha256);
    if (differing.length > 0) {
      console.error(`not deterministic: ${differing.map((bundle) => bundle.name).join(', ')}`);
      process.exit(1);
    }
  }
  for (const bundle of first)
    console.log(`${bundle.name.padEnd(18)} ${(bundle.bytes / 1024).toFixed(1).padStart(7)} KB`);
}
