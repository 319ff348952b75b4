import { execFile } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import * as z from 'zod';

export const run = promisify(execFile);

export const CORE_DIR = fileURLToPath(new URL('../..', import.meta.url));
const REPO_DIR = path.resolve(CORE_DIR, '../..');

/** The pnpm running this test when there is one (pnpm test), else the one on PATH. */
function pnpmCommand(): [string, string[]] {
  const execPath = process.env.npm_execpath;
  if (execPath && /pnpm/.test(path.basename(execPath))) return [process.execPath, [execPath]];
  return ['pnpm', []];
}

const PackedManifestSchema = z.looseObject({
  name: z.string(),
  version: z.string(),
  exports: z.record(z.string(), z.unknown()),
  dependencies: z.record(z.string(), z.string()),
});

export interface PackedCore {
  /** Where everything lives; removed by dispose(). Outside the repository, so nothing resolves upwards into it. */
  workDir: string;
  tarball: string;
  /** Paths inside the tarball, without the leading `package/`. */
  files: string[];
  manifest: z.infer<typeof PackedManifestSchema>;
  /** The tarball unpacked, as it lands in a user's node_modules/@tasktracker/core. */
  unpackedDir: string;
  dispose(): Promise<void>;
}

/** `pnpm pack` exactly as a release would (prepack builds dist/), then the tarball unpacked. */
export async function packCore(): Promise<PackedCore> {
  const workDir = await mkdtemp(path.join(tmpdir(), 'tasktracker-core-pack-'));
  try {
    const [command, prefix] = pnpmCommand();
    await run(command, [...prefix, 'pack', '--pack-destination', workDir], {
      cwd: CORE_DIR,
      env: { ...process.env, FORCE_COLOR: '0' },
    });
    const tarballName = (await readdir(workDir)).find((name) => name.endsWith('.tgz'));
    if (!tarballName) throw new Error(`pnpm pack left no tarball in ${workDir}`);
    const tarball = path.join(workDir, tarballName);
    const listing = await run('tar', ['-tzf', tarball]);
    const files = listing.stdout
      .split('\n')
      .filter(Boolean)
      .map((name) => name.replace(/^package\//, ''));
    const unpackedDir = path.join(workDir, 'package');
    await run('tar', ['-xzf', tarball, '-C', workDir]);
    const manifest = PackedManifestSchema.parse(
      JSON.parse(await readFile(path.join(unpackedDir, 'package.json'), 'utf8')),
    );
    return {
      workDir,
      tarball,
      files,
      manifest,
      unpackedDir,
      dispose: () => rm(workDir, { recursive: true, force: true }),
    };
  } catch (error) {
    await rm(workDir, { recursive: true, force: true });
    throw error;
  }
}

/** The bin script of a devDependency of the repository root, to run with this Node. */
export async function binOf(packageName: string, bin: string): Promise<string> {
  const manifestPath = path.join(REPO_DIR, 'node_modules', packageName, 'package.json');
  const BinSchema = z.object({ bin: z.union([z.string(), z.record(z.string(), z.string())]) });
  const { bin: bins } = BinSchema.parse(JSON.parse(await readFile(manifestPath, 'utf8')));
  const relative = typeof bins === 'string' ? bins : bins[bin];
  if (!relative) throw new Error(`${packageName} has no bin ${bin}`);
  return path.join(path.dirname(manifestPath), relative);
}
