import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { HANDLER_NAMES } from '@tasktracker/handlers';
import type { Project } from '../project.ts';
import { resolveTemplate } from './resolve.ts';
import { type ArtifactSource, artifactSourceOf, hashInputs, sha256 } from './sources.ts';

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

function readManifest(dir: string): PackageManifest | undefined {
  try {
    return JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as PackageManifest;
  } catch {
    return undefined;
  }
}

/** The previous build's zips, when nothing they were built from has changed since. */
function reusableArtifacts(source: ArtifactSource, bundler: string, previous: PackageManifest | undefined) {
  if (!previous || previous.bundler !== bundler) return undefined;
  if (HANDLER_NAMES.some((name) => !previous.artifacts.some((artifact) => artifact.name === name)))
    return undefined;
  const inputs = hashInputs(source.inputsRoot, previous.inputs);
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

async function buildArtifacts(source: ArtifactSource, dir: string) {
  const zipsDir = join(dir, 'artifacts');
  rmSync(zipsDir, { recursive: true, force: true });
  mkdirSync(zipsDir, { recursive: true });
  const { zips, inputs } = await source.build(zipsDir, dir);
  const artifacts: PackagedArtifact[] = zips.map((zip) => ({
    ...zip,
    key: `${ARTIFACT_PREFIX}${zip.name}/${zip.sha256}.zip`,
  }));
  const hashed = hashInputs(source.inputsRoot, inputs);
  // An input that is no file would make the cache key unmatchable: every package a rebuild.
  if (!('sha256' in hashed))
    throw new Error(
      `packaging: the bundler read ${hashed.missing}, which is no file under ${source.inputsRoot}; the package cache could never be reused`,
    );
  return { artifacts, inputs, inputsSha256: hashed.sha256 };
}

/**
 * `tt package`: every handler bundled and zipped deterministically (the same sources give the same
 * bytes and hashes) or, outside a checkout, taken from the CLI package; the template resolved to those
 * content-addressed zips, and a manifest, all in the project's build directory for the stage. Unchanged
 * inputs reuse the previous zips without running esbuild. The manifest is written last and atomically:
 * an interrupted package never leaves a half one.
 */
export async function packageStack(project: Project, stage: string): Promise<PackageResult> {
  const started = performance.now();
  const dir = project.buildDir(stage);
  mkdirSync(dir, { recursive: true });
  const source = artifactSourceOf(project);
  const bundler = await source.bundler();
  const previous = reusableArtifacts(source, bundler, readManifest(dir));
  const built = previous ?? (await buildArtifacts(source, dir));

  const templateText = resolveTemplate(
    readFileSync(project.template, 'utf8'),
    new Map(built.artifacts.map((artifact) => [artifact.name, artifact.sha256])),
  );
  const templateFile = join(dir, 'template.yaml');
  writeAtomically(templateFile, templateText);
  const templateHash = sha256(templateText);
  const manifest: PackageManifest = {
    stage,
    bundler,
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
