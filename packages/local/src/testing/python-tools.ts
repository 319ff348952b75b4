import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const run = promisify(execFile);

export const REPO_ROOT = fileURLToPath(new URL('../../../../', import.meta.url));
const VENV = `${REPO_ROOT}.cache/venv`;
/** Pinned in one file, read by this setup and by .ci/run alike. */
const REQUIREMENTS = `${REPO_ROOT}tools/python-requirements.txt`;

const LOCK = `${REPO_ROOT}.cache/venv.lock`;
/** The hash of the requirements the venv was last installed from (also written by .ci/run). */
const STAMP = `${VENV}/.requirements.sha256`;

const requirementsHash = () => createHash('sha256').update(readFileSync(REQUIREMENTS)).digest('hex');

function venvIsCurrent(): boolean {
  try {
    return readFileSync(STAMP, 'utf8').trim() === requirementsHash();
  } catch {
    return false;
  }
}

/**
 * Creates the repository's Python venv with the pinned tools from PyPI, or brings it up to date when
 * the pins changed. Test files run in parallel workers: a lock directory (mkdir is atomic) lets one
 * install while the others wait for it.
 */
async function installVenv(): Promise<void> {
  mkdirSync(`${REPO_ROOT}.cache`, { recursive: true });
  const deadline = Date.now() + 600_000;
  for (;;) {
    try {
      mkdirSync(LOCK);
      break;
    } catch {
      if (Date.now() > deadline) throw new Error(`waited 10 minutes for ${LOCK}`);
      await new Promise((resolve) => setTimeout(resolve, 1_000));
    }
  }
  try {
    if (!existsSync(`${VENV}/bin/pip`)) await run('python3', ['-m', 'venv', VENV]);
    if (!venvIsCurrent()) {
      await run(`${VENV}/bin/pip`, ['install', '--quiet', '-r', REQUIREMENTS], { timeout: 600_000 });
      writeFileSync(STAMP, `${requirementsHash()}\n`);
    }
  } finally {
    rmSync(LOCK, { recursive: true, force: true });
  }
}

/**
 * The path of a venv tool (cfn-lint, moto_server), installing it when missing. When it cannot be had,
 * CI fails the suite; elsewhere the suite is skipped with the reason printed.
 */
export async function pythonTool(name: string): Promise<string | undefined> {
  const path = `${VENV}/bin/${name}`;
  try {
    if (!existsSync(path) || !venvIsCurrent()) await installVenv();
    if (!existsSync(path)) throw new Error(`${name} is not in ${VENV} after pip install`);
    return path;
  } catch (error) {
    const reason = `${name} unavailable (python3 -m venv .cache/venv && .cache/venv/bin/pip install -r tools/python-requirements.txt): ${(error as Error).message.split('\n')[0]}`;
    if (process.env.CI === 'true') throw new Error(reason);
    process.stderr.write(`[tasktracker] skipped: ${reason}\n`);
    return undefined;
  }
}
