import { mkdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

/** A lock held longer than this is assumed abandoned, whatever its owner's pid says. */
const STALE_AFTER_MS = 60_000;
const WAIT_LIMIT_MS = 90_000;

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Runs `work` while holding a lock directory (mkdir is atomic on every filesystem we meet), so that
 * concurrent first commands start one engine, not five. A lock whose owner died, or that is older
 * than a minute, is broken.
 */
export async function withLock<T>(lockDir: string, work: () => Promise<T>): Promise<T> {
  const owner = path.join(lockDir, 'owner');
  const deadline = Date.now() + WAIT_LIMIT_MS;
  await mkdir(path.dirname(lockDir), { recursive: true });
  for (;;) {
    try {
      await mkdir(lockDir);
      await writeFile(owner, String(process.pid));
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      if (await isStale(lockDir, owner)) {
        await rm(lockDir, { recursive: true, force: true });
        continue;
      }
      if (Date.now() > deadline) throw new Error(`timed out waiting for the lock ${lockDir}`);
      await sleep(50 + Math.random() * 100);
    }
  }
  try {
    return await work();
  } finally {
    await rm(lockDir, { recursive: true, force: true });
  }
}

async function isStale(lockDir: string, owner: string): Promise<boolean> {
  const since = await stat(lockDir).then(
    (info) => Date.now() - info.mtimeMs,
    () => 0,
  );
  if (since > STALE_AFTER_MS) return true;
  const pid = Number(await readFile(owner, 'utf8').catch(() => ''));
  // No owner file yet: its creator is between mkdir and writeFile; give it a moment.
  if (!pid) return since > 2_000;
  return !isAlive(pid);
}
