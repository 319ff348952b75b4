import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const run = promisify(execFile);

export const REPO_ROOT = fileURLToPath(new URL('../../../../', import.meta.url));

/**
 * Each set of pinned tools has its own requirements file and venv. `test`: moto server and cfn-lint,
 * which most suites need. `deploy-tools`: the SAM CLI and the AWS CLI, large and with boto pins of
 * their own, needed only by the suite that deploys with other people's tools. `checkov`: the IaC
 * scanner run on the template, with pins of its own too.
 */
const TOOL_SETS = {
  test: { requirements: 'tools/python-requirements.txt', venv: '.cache/venv' },
  'deploy-tools': { requirements: 'tools/python-deploy-tools.txt', venv: '.cache/venv-deploy-tools' },
  checkov: { requirements: 'tools/python-checkov.txt', venv: '.cache/venv-checkov' },
} as const;
export type PythonToolSet = keyof typeof TOOL_SETS;

function paths(set: PythonToolSet) {
  const { requirements, venv } = TOOL_SETS[set];
  return {
    venv: `${REPO_ROOT}${venv}`,
    /** Pinned in one file, read by this setup and by .ci/run alike. */
    requirements: `${REPO_ROOT}${requirements}`,
    lock: `${REPO_ROOT}${venv}.lock`,
    /** The hash of the requirements the venv was last installed from (also written by .ci/run). */
    stamp: `${REPO_ROOT}${venv}/.requirements.sha256`,
  };
}

const requirementsHash = (set: PythonToolSet) =>
  createHash('sha256')
    .update(readFileSync(paths(set).requirements))
    .digest('hex');

function venvIsCurrent(set: PythonToolSet): boolean {
  try {
    return readFileSync(paths(set).stamp, 'utf8').trim() === requirementsHash(set);
  } catch {
    return false;
  }
}

/**
 * Creates a venv with the pinned tools from PyPI, or brings it up to date when the pins changed. Test
 * files run in parallel workers: a lock directory (mkdir is atomic) lets one install while the others
 * wait for it.
 */
async function installVenv(set: PythonToolSet): Promise<void> {
  const { venv, requirements, lock, stamp } = paths(set);
  mkdirSync(`${REPO_ROOT}.cache`, { recursive: true });
  const deadline = Date.now() + 900_000;
  for (;;) {
    try {
      mkdirSync(lock);
      break;
    } catch {
      if (Date.now() > deadline) throw new Error(`waited 15 minutes for ${lock}`);
      await new Promise((resolve) => setTimeout(resolve, 1_000));
    }
  }
  try {
    if (!existsSync(`${venv}/bin/pip`)) await run('python3', ['-m', 'venv', venv]);
    if (!venvIsCurrent(set)) {
      await run(`${venv}/bin/pip`, ['install', '--quiet', '-r', requirements], { timeout: 900_000 });
      writeFileSync(stamp, `${requirementsHash(set)}\n`);
    }
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}

/**
 * The path of a venv tool (cfn-lint, moto_server; sam, aws from the deploy-tools set), installing it
 * when missing. When it cannot be had, CI fails the suite; elsewhere the suite is skipped with the
 * reason printed.
 */
export async function pythonTool(name: string, set: PythonToolSet = 'test'): Promise<string | undefined> {
  const { venv, requirements } = paths(set);
  const path = `${venv}/bin/${name}`;
  try {
    if (!existsSync(path) || !venvIsCurrent(set)) await installVenv(set);
    if (!existsSync(path)) throw new Error(`${name} is not in ${venv} after pip install`);
    return path;
  } catch (error) {
    const relative = (file: string) => file.slice(REPO_ROOT.length);
    const reason = `${name} unavailable (python3 -m venv ${relative(venv)} && ${relative(venv)}/bin/pip install -r ${relative(requirements)}): ${(error as Error).message.split('\n')[0]}`;
    if (process.env.CI === 'true') throw new Error(reason);
    process.stderr.write(`[tasktracker] skipped: ${reason}\n`);
    return undefined;
  }
}
