import { createHash } from 'node:crypto';
import { copyFileSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Project } from '../project.ts';
import { bundleHandlers, bundlerFingerprint, loadEsbuild } from './bundle.ts';
import { zipFiles } from './zip.ts';

export const sha256 = (data: Buffer | string) => createHash('sha256').update(data).digest('hex');

/** A handler's zip in the build directory. */
export interface BuiltZip {
  name: string;
  file: string;
  sha256: string;
  bytes: number;
}

/** Where the handler zips come from: bundled from a checkout's sources, or copied from the CLI package. */
export interface ArtifactSource {
  /** What invalidates cached zips when it changes (the bundler and its options, or the embedded build). */
  bundler(): Promise<string>;
  /** The directory that the inputs are named relative to. */
  inputsRoot: string;
  /** Writes every handler's zip into `zipsDir`; `workDir` may hold intermediate files. */
  build(zipsDir: string, workDir: string): Promise<{ zips: BuiltZip[]; inputs: string[] }>;
}

function writeZip(zipsDir: string, name: string, zip: Buffer): BuiltZip {
  const file = join(zipsDir, `${name}.zip`);
  writeFileSync(file, zip);
  return { name, file, sha256: sha256(zip), bytes: zip.length };
}

export function artifactSourceOf(project: Project): ArtifactSource {
  if (project.kind === 'embedded') {
    const { dir, manifest } = project;
    return {
      bundler: async () => `prebuilt: ${manifest.bundler}`,
      inputsRoot: dir,
      build: async (zipsDir) => {
        const zips = manifest.artifacts.map((artifact) => {
          const file = join(zipsDir, `${artifact.name}.zip`);
          copyFileSync(join(dir, artifact.file), file);
          return { name: artifact.name, file, sha256: artifact.sha256, bytes: artifact.bytes };
        });
        return { zips, inputs: manifest.artifacts.map((artifact) => artifact.file) };
      },
    };
  }
  return {
    bundler: async () => bundlerFingerprint((await loadEsbuild(project.root)).version),
    inputsRoot: project.root,
    build: async (zipsDir, workDir) => {
      const bundlesDir = join(workDir, 'bundles');
      rmSync(bundlesDir, { recursive: true, force: true });
      mkdirSync(zipsDir, { recursive: true });
      const { bundles, inputs } = await bundleHandlers(project.handlersSource, bundlesDir, project.root);
      return { zips: bundles.map(({ name, files }) => writeZip(zipsDir, name, zipFiles(files))), inputs };
    },
  };
}

/** The hash of the inputs' paths and contents, or the first input that is no file (any more). */
export function hashInputs(
  root: string,
  inputs: readonly string[],
): { sha256: string } | { missing: string } {
  const hash = createHash('sha256');
  for (const input of inputs) {
    let data: Buffer;
    try {
      data = readFileSync(join(root, input));
    } catch {
      return { missing: input };
    }
    hash.update(input).update('\0').update(data).update('\0');
  }
  return { sha256: hash.digest('hex') };
}
