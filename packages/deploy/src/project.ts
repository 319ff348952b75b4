import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { TaskTrackerError } from '@tasktracker/core';
import { EMBEDDED_MANIFEST, type EmbeddedManifest, parseEmbeddedManifest } from './package/embedded.ts';

/**
 * Where the stack's infrastructure comes from: a tasktracker checkout (its template, and the handlers
 * bundled from its sources with esbuild) or the copy embedded in the installed CLI (the template and
 * the handler zips built when the package was packed).
 */
export type Project = CheckoutProject | EmbeddedProject;

interface ProjectBase {
  /** The CloudFormation template as written (code locations not yet resolved). */
  template: string;
  /** Bundles, zips, the resolved template and the manifest of one stage. */
  buildDir(stage: string): string;
  /** One line for people: which infrastructure this is. */
  description: string;
}

export interface CheckoutProject extends ProjectBase {
  kind: 'checkout';
  root: string;
  /** Where packages/handlers keeps its entry modules (src/functions/<name>.ts). */
  handlersSource: string;
}

export interface EmbeddedProject extends ProjectBase {
  kind: 'embedded';
  /** The CLI package's infrastructure directory (dist/infra). */
  dir: string;
  manifest: EmbeddedManifest;
}

const TEMPLATE = join('cloudformation', 'tasktracker.yaml');
const HANDLERS = join('packages', 'handlers', 'src');

function isCheckout(dir: string): boolean {
  if (!existsSync(join(dir, TEMPLATE)) || !existsSync(join(dir, HANDLERS))) return false;
  try {
    return JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')).name === 'tasktracker';
  } catch {
    return false;
  }
}

function findUp(start: string): string | undefined {
  for (let dir = start; ; dir = dirname(dir)) {
    if (isCheckout(dir)) return dir;
    if (dirname(dir) === dir) return undefined;
  }
}

function checkoutAt(root: string): CheckoutProject {
  return {
    kind: 'checkout',
    root,
    template: join(root, TEMPLATE),
    handlersSource: join(root, HANDLERS),
    buildDir: (stage) => join(root, '.tasktracker', 'build', stage),
    description: `checkout ${root} (its template, handlers bundled from its sources)`,
  };
}

/**
 * The checkout holding the template and the handler sources: the working directory or one above it,
 * else the checkout this module itself was loaded from (the CLI run as `pnpm tt` from anywhere).
 */
export function findCheckout(cwd = process.cwd()): CheckoutProject | undefined {
  const root = findUp(cwd) ?? findUp(dirname(fileURLToPath(import.meta.url)));
  return root ? checkoutAt(root) : undefined;
}

/** The checkout, for tools that only make sense in one (benchmarks, tests, the package build). */
export function requireCheckout(cwd = process.cwd()): CheckoutProject {
  const checkout = findCheckout(cwd);
  if (!checkout)
    throw new TaskTrackerError(
      'VALIDATION_ERROR',
      `no tasktracker checkout here (${TEMPLATE} and ${HANDLERS})`,
    );
  return checkout;
}

/** Build output of an installed CLI: the user's cache, not whatever directory the command ran in. */
function cacheBuildDir(stage: string, env = process.env): string {
  const cache = env.XDG_CACHE_HOME || join(homedir(), '.cache');
  return join(cache, 'tasktracker', 'build', stage);
}

export function embeddedAt(dir: string): EmbeddedProject | undefined {
  const file = join(dir, EMBEDDED_MANIFEST);
  if (!existsSync(file)) return undefined;
  const manifest = parseEmbeddedManifest(readFileSync(file, 'utf8'), file);
  return {
    kind: 'embedded',
    dir,
    manifest,
    template: join(dir, manifest.template),
    buildDir: (stage) => cacheBuildDir(stage),
    description: `embedded in @tasktracker/cli ${manifest.version} (template and ${manifest.artifacts.length} handler zips built at pack time)`,
  };
}

/**
 * The infrastructure a command works with. Inside a checkout the checkout's own template and sources
 * win, so developers deploy what they edit; anywhere else, the copy embedded in the CLI package.
 */
export function findProject(options: { cwd?: string; embeddedDir?: string | undefined } = {}): Project {
  const checkout = findCheckout(options.cwd);
  if (checkout) return checkout;
  const embedded = options.embeddedDir ? embeddedAt(options.embeddedDir) : undefined;
  if (embedded) return embedded;
  throw new TaskTrackerError(
    'VALIDATION_ERROR',
    `no infrastructure found: this CLI carries no embedded template and handlers (${options.embeddedDir ?? 'none given'}), and this is not a tasktracker checkout`,
  );
}
