import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { TaskTrackerError } from '@tasktracker/core';
import {
  HANDLER_NAMES,
  type HandlerName,
  handlerEntry,
  ON_DEMAND_MODULES,
  onDemandFile,
} from '@tasktracker/handlers';
import type { BuildOptions, Plugin } from 'esbuild';

type Esbuild = typeof import('esbuild');

/**
 * esbuild, loaded only when handlers are bundled from sources. The installed CLI carries prebuilt zips
 * and no esbuild; run inside a checkout, it bundles with the checkout's own esbuild (pnpm links it
 * under packages/deploy).
 */
export async function loadEsbuild(root?: string): Promise<Esbuild> {
  try {
    return await import('esbuild');
  } catch (error) {
    if (!root) throw error;
    try {
      const resolved = createRequire(join(root, 'packages', 'deploy', 'package.json')).resolve('esbuild');
      return (await import(pathToFileURL(resolved).href)) as Esbuild;
    } catch {
      throw new TaskTrackerError(
        'VALIDATION_ERROR',
        `bundling the handlers of ${root} needs its esbuild: run pnpm install there`,
      );
    }
  }
}

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

/**
 * What pino requires on import that a Lambda never uses, and what the bundle carries instead. A Lambda
 * logs JSON lines synchronously through process.stdout (core's createLogger) and redacts by key name
 * (core's redactSecrets), so pino's transports (worker threads via thread-stream), multistream, path-based
 * redaction and its own destination (sonic-boom) are stand-ins that fail loudly if ever called. pino reads
 * worker_threads only to tell whether an asynchronous destination must be flushed on exit; a handler runs
 * on the main thread. Together: ~30 KB less per bundle and no worker_threads load at init.
 */
const NOT_BUNDLED = (what: string) => `module.exports = function notBundled() {
  throw new Error(${JSON.stringify(`${what} is not bundled in Lambda handlers`)});
};`;
const PINO_STAND_INS: Record<string, string> = {
  './transport': NOT_BUNDLED('pino transports'),
  './lib/transport': NOT_BUNDLED('pino transports'),
  './multistream': NOT_BUNDLED('pino multistream'),
  './lib/multistream': NOT_BUNDLED('pino multistream'),
  '@pinojs/redact': NOT_BUNDLED("pino's path-based redaction"),
  'sonic-boom': NOT_BUNDLED('sonic-boom (pino.destination)'),
  worker_threads: 'module.exports = { isMainThread: true };',
};

const pinoLambdaStandIns: Plugin = {
  name: 'pino-lambda-stand-ins',
  setup(builder) {
    const names = Object.keys(PINO_STAND_INS).map((name) => name.replace(/[./]/g, '\\$&'));
    builder.onResolve({ filter: new RegExp(`^(?:${names.join('|')})$`) }, (args) =>
      /[/\\]pino[/\\]/.test(args.importer) ? { path: args.path, namespace: 'pino-stand-in' } : undefined,
    );
    builder.onLoad({ filter: /.*/, namespace: 'pino-stand-in' }, (args) => ({
      contents: PINO_STAND_INS[args.path],
      loader: 'js',
    }));
  },
};

/**
 * What every handler bundle is: ESM, minified, tree-shaken, node22 (the nodejs22.x runtime, and our own
 * Node floor), with the AWS SDK bundled at the version pinned in package.json rather than the runtime's.
 * esbuild's output is a pure function of its input, so the same sources give the same bytes.
 */
export const BUNDLE_OPTIONS: BuildOptions = {
  bundle: true,
  platform: 'node',
  target: 'node22',
  format: 'esm',
  minify: true,
  treeShaking: true,
  sourcemap: true,
  // Source maps name files relative to the output, never by this machine's absolute path.
  sourceRoot: '',
  legalComments: 'none',
  conditions: ['@tasktracker/source'],
  mainFields: ['module', 'main'],
  // Some bundled CommonJS (pino, parts of the SDK) calls require() for node builtins.
  banner: { js: "import{createRequire as __cr}from'node:module';const require=__cr(import.meta.url);" },
  logLevel: 'warning',
  plugins: [workspaceHasNoSideEffects, pinoLambdaStandIns],
};

/**
 * What invalidates every cached bundle when it changes: esbuild's version, the options, and the text of
 * this module, which holds the plugins (read on first use, not on import).
 */
export function bundlerFingerprint(esbuildVersion: string): string {
  const source = createHash('sha256')
    .update(readFileSync(fileURLToPath(import.meta.url)))
    .digest('hex');
  return `esbuild ${esbuildVersion} ${JSON.stringify({ ...BUNDLE_OPTIONS, plugins: undefined })} ${source}`;
}

/** Bundles one entry module with the shared options (the bundle benchmark builds its baseline so). */
export async function buildBundle(entry: string, outfile: string): Promise<void> {
  const { build } = await loadEsbuild();
  await build({ ...BUNDLE_OPTIONS, entryPoints: [entry], outfile });
}

export interface BundleFile {
  name: string;
  data: Buffer;
}

export interface HandlerBundle {
  name: HandlerName;
  /** index.mjs, its on-demand modules and their source maps, as the zip will hold them. */
  files: BundleFile[];
}

export interface BundleSet {
  bundles: HandlerBundle[];
  /** Every source file read, relative to `root`: the inputs a cached build is checked against. */
  inputs: string[];
}

/**
 * A handler's dynamic import of one of its on-demand modules (ON_DEMAND_MODULES) becomes an import of
 * the file that module is bundled into, beside index.mjs, instead of pulling the module into index.mjs.
 */
function onDemandImports(handlersSource: string): Plugin {
  const files = new Map(
    Object.values(ON_DEMAND_MODULES)
      .flat()
      .map((source) => [join(handlersSource, source), onDemandFile(source)]),
  );
  return {
    name: 'on-demand-imports',
    setup(builder) {
      builder.onResolve({ filter: /\.ts$/ }, (args) => {
        if (args.kind !== 'dynamic-import') return undefined;
        const file = files.get(join(args.resolveDir, args.path));
        return file ? { path: `./${file}`, external: true } : undefined;
      });
    },
  };
}

/** The esbuild entries of one handler: its index and each on-demand module. */
function entriesOf(handlersSource: string, name: HandlerName): [string, string][] {
  const onDemand = (ON_DEMAND_MODULES[name] ?? []).map((source): [string, string] => [
    `${name}/${onDemandFile(source).replace(/\.mjs$/, '')}`,
    join(handlersSource, source),
  ]);
  return [[`${name}/index`, join(handlersSource, handlerEntry(name))], ...onDemand];
}

/**
 * Bundles every handler in one esbuild run (modules shared between handlers are parsed once: ~1.6 s
 * for all sixteen here, against ~10 s one at a time) into `outDir/<name>/index.mjs`.
 */
export async function bundleHandlers(
  handlersSource: string,
  outDir: string,
  root: string,
  names: readonly HandlerName[] = HANDLER_NAMES,
): Promise<BundleSet> {
  const { build } = await loadEsbuild(root);
  const result = await build({
    ...BUNDLE_OPTIONS,
    entryPoints: Object.fromEntries(names.flatMap((name) => entriesOf(handlersSource, name))),
    outdir: outDir,
    outExtension: { '.js': '.mjs' },
    metafile: true,
    plugins: [...(BUNDLE_OPTIONS.plugins ?? []), onDemandImports(handlersSource)],
  });
  const bundles = names.map((name) => {
    const modules = entriesOf(handlersSource, name).map(([entry]) => `${entry.slice(name.length + 1)}.mjs`);
    const files = modules.flatMap((module) => [module, `${module}.map`]);
    return {
      name,
      files: files.map((file) => ({ name: file, data: readFileSync(join(outDir, name, file)) })),
    };
  });
  // Modules a plugin serves from a namespace of its own (pino-stand-in:...) are no files: their text is
  // in this module, which the bundler fingerprint covers. Listed as inputs they would never hash, and no
  // build would ever be reused.
  const inputs = Object.keys(result.metafile.inputs)
    .filter((input) => !/^[\w-]+:/.test(input))
    .map((input) => relative(root, join(process.cwd(), input)))
    .sort();
  return { bundles, inputs };
}
