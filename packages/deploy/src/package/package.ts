import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { HANDLER_NAMES } from '@tasktracker/handlers';
import type { Project } from '../project.ts';
import { bundleHandlers, bundlerFingerprint } from './bundle.ts';
import { resolveTemplate } from './resolve.ts';
import { zipFiles } from './zip.ts';

/** Where the zips live in the artifact bucket; the stack's ArtifactPrefix parameter. */
export const ARTIFACT_PREFIX = 'artifacts/';
export const TEMPLATE_PREFIX = 'templates/';

export interface PackagedFile {
  /** Absolute path under the build directory. */
  file: string;
  sha256: string;
  bytes: number;
  /** Its content-addressed key in the artifact bucket. */
  key: string;
}

export interface PackagedArtifact extends PackagedFile {
  name: string;
}

/** `.tasktracker/build/<stage>/manifest.json`: what was built from what. */
export interface PackageManifest {
  stage: string;
  bundler: string;
  /** Hash of every source file the bundles were built from (paths and contents). */
  inputsSha256: string;
  inputs: string[];
  template: PackagedFile;
  artifacts: PackagedArtifact[];
}

export interface PackageResult {
  manifest: PackageManifest;
  dir: string;
  /** True when the sources were unchanged and the previous bundles were kept. */
  reused: boolean;
  ms: number;
}

const sha256 = (data: Buffer | string) => createHash('sha256').update(data).digest('hex');

/** The hash of the inputs' paths and contents, or the first input that is no file (any more). */
function hashInputs(root: string, inputs: readonly string[]): { sha256: string } | { missing: string } {
  const hash = createHash('sha256');
  for (const input of inputs) {
    const file = join(root, input);
    if (!existsSync(file)) return { missing: input };
    hash.update(input).update('\0').update(readFileSync(file)).update('\0');
  }
  return { sha256: hash.digest('hex') };
}

function readManifest(dir: string): PackageManifest | undefined {
  try {
    return JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as PackageManifest;
  } catch {
    return undefined;
  }
}

/** The previous build's zips, when nothing they were built from has changed since. */
function reusableArtifacts(project: Project, previous: PackageManifest | undefined) {
  if (!previous || previous.bundler !== bundlerFingerprint()) return undefined;
  if (HANDLER_NAMES.some((name) => !previous.artifacts.some((artifact) => artifact.name === name)))
    return undefined;
  const inputs = hashInputs(project.root, previous.inputs);
  if (!('sha256' in inputs) || inputs.sha256 !== previous.inputsSha256) return undefined;
  const intact = previous.artifacts.every(
    (artifact) => existsSync(artifact.file) && sha256(readFileSync(artifact.file)) === artifact.sha256,
  );
  return intact ? previous : undefined;
}

function writeAtomically(file: string, data: string | Buffer): void {
  writeFileSync(`${file}.tmp`, data);
  renameSync(`${file}.tmp`, file);
}

async function buildArtifacts(project: Project, dir: string) {
  const bundlesDir = join(dir, 'bundles');
  const zipsDir = join(dir, 'artifacts');
  rmSync(bundlesDir, { recursive: true, force: true });
  rmSync(zipsDir, { recursive: true, force: true });
  mkdirSync(zipsDir, { recursive: true });
  const { bundles, inputs } = await bundleHandlers(project.handlersSource, bundlesDir, project.root);
  const artifacts: PackagedArtifact[] = bundles.map(({ name, files }) => {
    const zip = zipFiles(files);
    const file = join(zipsDir, `${name}.zip`);
    writeFileSync(file, zip);
    const hash = sha256(zip);
    return { name, file, sha256: hash, bytes: zip.length, key: `${ARTIFACT_PREFIX}${name}/${hash}.zip` };
  });
  const hashed = hashInputs(project.root, inputs);
  // An input that is no file would make the cache key unmatchable: every package a rebuild.
  if (!('sha256' in hashed))
    throw new Error(
      `packaging: the bundler read ${hashed.missing}, which is no file under ${project.root}; the package cache could never be reused`,
    );
  return { artifacts, inputs, inputsSha256: hashed.sha256 };
}

/**
 * `tt package`: every handler bundled and zipped deterministically (the same sources give the same
 * bytes and hashes), the template resolved to those content-addressed zips, and a manifest, all under
 * `.tasktracker/build/<stage>/`. Unchanged sources reuse the previous zips without running esbuild.
 * The manifest is written last and atomically: an interrupted package never leaves a half one.
 */
export async function packageStack(project: Project, stage: string): Promise<PackageResult> {
  const started = performance.now();
  const dir = project.buildDir(stage);
  mkdirSync(dir, { recursive: true });
  const previous = reusableArtifacts(project, readManifest(dir));
  const built = previous ?? (await buildArtifacts(project, dir));

  const templateText = resolveTemplate(
    readFileSync(project.template, 'utf8'),
    new Map(built.artifacts.map((artifact) => [artifact.name, artifact.sha256])),
  );
  const templateFile = join(dir, 'template.yaml');
  writeAtomically(templateFile, templateText);
  const templateHash = sha256(templateText);
  const manifest: PackageManifest = {
    stage,
    bundler: bundlerFingerprint(),
    inputsSha256: built.inputsSha256,
    inputs: built.inputs,
    template: {
      file: templateFile,
      sha256: templateHash,
      bytes: Buffer.byteLength(templateText),
      key: `${TEMPLATE_PREFIX}${templateHash}.yaml`,
    },
    artifacts: built.artifacts,
  };
  writeAtomically(join(dir, 'manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  return { manifest, dir, reused: previous !== undefined, ms: performance.now() - started };
}
