import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { REPO_ROOT } from './python-tools.ts';

const run = promisify(execFile);

/**
 * Node tools a suite runs as a user would (osls), each pinned in a plain npm folder under tools/ with
 * its own package-lock.json: outside the pnpm workspace, so `pnpm install` never installs them and the
 * workspace lockfile never carries them. Installed with `npm ci` on first use, again when the lockfile
 * changes.
 */
const folderOf = (tool: string) => join(REPO_ROOT, 'tools', tool);
const stampOf = (tool: string) => join(folderOf(tool), 'node_modules', '.lock.sha256');
const lockHash = (tool: string) =>
  createHash('sha256')
    .update(readFileSync(join(folderOf(tool), 'package-lock.json')))
    .digest('hex');

function isCurrent(tool: string): boolean {
  try {
    return readFileSync(stampOf(tool), 'utf8').trim() === lockHash(tool);
  } catch {
    return false;
  }
}

async function install(tool: string): Promise<void> {
  const lock = join(REPO_ROOT, '.cache', `npm-${tool}.lock`);
  mkdirSync(dirname(lock), { recursive: true });
  const deadline = Date.now() + 600_000;
  for (;;) {
    try {
      mkdirSync(lock);
      break;
    } catch {
      if (Date.now() > deadline) throw new Error(`waited 10 minutes for ${lock}`);
      await new Promise((resolve) => setTimeout(resolve, 1_000));
    }
  }
  try {
    if (isCurrent(tool)) return;
    await run('npm', ['ci', '--prefix', folderOf(tool), '--no-audit', '--no-fund', '--loglevel=error'], {
      timeout: 600_000,
    });
    writeFileSync(stampOf(tool), `${lockHash(tool)}\n`);
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}

/** The executable script (package.json `bin`) of an installed package, to run with `node`. */
function binOf(tool: string, pkg: string, bin: string): string {
  const manifestFile = join(folderOf(tool), 'node_modules', pkg, 'package.json');
  const manifest = JSON.parse(readFileSync(manifestFile, 'utf8')) as {
    bin?: string | Record<string, string>;
  };
  const relative = typeof manifest.bin === 'string' ? manifest.bin : manifest.bin?.[bin];
  if (!relative) throw new Error(`${pkg} has no ${bin} executable`);
  return join(dirname(manifestFile), relative);
}

/**
 * The script of a pinned npm tool from tools/<tool>/ (osls), installing it when missing. When it
 * cannot be had, CI fails the suite; elsewhere the suite is skipped with the reason printed.
 */
export async function npmTool(tool: string, pkg = tool, bin = pkg): Promise<string | undefined> {
  try {
    if (!isCurrent(tool) || !existsSync(join(folderOf(tool), 'node_modules', pkg))) await install(tool);
    return binOf(tool, pkg, bin);
  } catch (error) {
    const reason = `${pkg} unavailable (npm ci --prefix tools/${tool}): ${(error as Error).message.split('\n')[0]}`;
    if (process.env.CI === 'true') throw new Error(reason);
    process.stderr.write(`[tasktracker] skipped: ${reason}\n`);
    return undefined;
  }
}
