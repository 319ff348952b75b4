import { type ExecFileException, execFile } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const run = promisify(execFile);

export const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));

export interface WorkspacePackage {
  name: string;
  dir: string;
  manifest: Record<string, unknown>;
}

/** Every package of the workspace under packages/ that is not private: what `pnpm publish -r` would publish. */
export function publishablePackages(): WorkspacePackage[] {
  const root = path.join(REPO_ROOT, 'packages');
  return readdirSync(root)
    .map((entry) => path.join(root, entry))
    .map((dir) => ({ dir, manifest: JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8')) }))
    .filter(({ manifest }) => manifest.private !== true)
    .map(({ dir, manifest }) => ({ name: String(manifest.name), dir, manifest }));
}

/** `pnpm pack` of a package (its prepack builds it) into `destination`; the tarball's path. */
export async function pack(pkg: WorkspacePackage, destination: string): Promise<string> {
  const { stdout } = await run('pnpm', ['pack', '--json', '--pack-destination', destination], {
    cwd: pkg.dir,
    maxBuffer: 64 * 1024 * 1024,
  });
  // pnpm prints the prepack script's output before the JSON document, which starts on a line of its own.
  const json = stdout.slice(stdout.search(/^\{$/m));
  return path.resolve(destination, (JSON.parse(json) as { filename: string }).filename);
}

/** A plain npm project outside the repository with these installed by npm: registry dependencies only. */
export async function installTarballs(projectDir: string, specs: string[]): Promise<void> {
  await mkdir(projectDir, { recursive: true });
  await writeFile(
    path.join(projectDir, 'package.json'),
    `${JSON.stringify({ name: 'tasktracker-user', private: true, type: 'module' }, null, 2)}\n`,
  );
  await run('npm', ['install', '--no-audit', '--no-fund', '--loglevel=error', ...specs], {
    cwd: projectDir,
    timeout: 600_000,
    maxBuffer: 64 * 1024 * 1024,
  });
}

export interface Result {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs a program as a user would, never throwing: the exit code is part of the result. */
export function exec(file: string, args: string[], options: { cwd: string; env?: NodeJS.ProcessEnv }) {
  return new Promise<Result>((resolve) => {
    execFile(
      file,
      args,
      { ...options, timeout: 120_000, maxBuffer: 64 * 1024 * 1024 },
      (error, stdout, stderr) => {
        const code = error ? Number((error as ExecFileException).code ?? 1) : 0;
        resolve({ code, stdout, stderr });
      },
    );
  });
}
