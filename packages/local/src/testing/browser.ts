import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, rmSync } from 'node:fs';
import { promisify } from 'node:util';
import { REPO_ROOT } from './python-tools.ts';

const run = promisify(execFile);

/** Debian's Chromium: the browser the docs page is tested in (no browser download of its own). */
export const CHROMIUM = '/usr/bin/chromium';
const LOCK = `${REPO_ROOT}.cache/chromium.lock`;

/**
 * The flags every test launch uses: headless, no sandbox (root in CI), and no traffic of the browser's
 * own (no QUIC, first-run pages, component updates, sync or background requests).
 */
export const CHROMIUM_FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

async function installChromium(): Promise<void> {
  mkdirSync(`${REPO_ROOT}.cache`, { recursive: true });
  const deadline = Date.now() + 900_000;
  for (;;) {
    try {
      mkdirSync(LOCK);
      break;
    } catch {
      if (Date.now() > deadline) throw new Error(`waited 15 minutes for ${LOCK}`);
      await new Promise((resolve) => setTimeout(resolve, 1_000));
    }
  }
  try {
    if (existsSync(CHROMIUM)) return;
    const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
    await run('apt-get', ['update', '-qq'], { env, timeout: 600_000 });
    await run('apt-get', ['install', '-y', '-qq', 'chromium'], { env, timeout: 900_000 });
  } finally {
    rmSync(LOCK, { recursive: true, force: true });
  }
}

/**
 * The path of Debian's Chromium, installing it with apt-get when missing (as the Python tools are
 * installed on demand). When it cannot be had, CI fails the suite; elsewhere it is skipped with the
 * reason printed.
 */
export async function chromiumPath(): Promise<string | undefined> {
  try {
    if (!existsSync(CHROMIUM)) await installChromium();
    if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing after apt-get install chromium`);
    return CHROMIUM;
  } catch (error) {
    const reason = `Chromium unavailable (apt-get update && apt-get install -y chromium): ${(error as Error).message.split('\n')[0]}`;
    if (process.env.CI === 'true') throw new Error(reason);
    process.stderr.write(`[tasktracker] skipped: ${reason}\n`);
    return undefined;
  }
}
