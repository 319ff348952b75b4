import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { findMinistack, type Ministack, startMinistack } from '@tasktracker/local/testing';
import { afterAll, describe, expect, it } from 'vitest';

/**
 * localstack/e2e.sh for real, against ministack (PyPI, pinned in tools/python-requirements.txt): the
 * deployed stack, its Lambdas run by the `node` running this test, API Gateway with the stack's API key,
 * S3 notifications, the dead-letter queue, and tt reading it all back. What ministack does differently
 * from AWS, and what the launcher adds to it, is in localstack/ministack.md.
 */
const ROOT = fileURLToPath(new URL('../../../../', import.meta.url));

/** In CI a ministack that cannot be installed or started fails the run; elsewhere the suite says why it skips. */
async function ministackOrReason(): Promise<Ministack | string> {
  const python = await findMinistack();
  if (!python) return 'ministack is not installed (the reason is printed above)';
  try {
    return await startMinistack(python);
  } catch (error) {
    if (process.env.CI === 'true') throw error;
    return `ministack did not start: ${(error as Error).message.split('\n')[0]}`;
  }
}

const started = await ministackOrReason();
const ministack = typeof started === 'string' ? undefined : started;
if (typeof started === 'string') console.log(`ministack e2e skipped: ${started}`);
afterAll(() => ministack?.stop());

function runE2e(env: Record<string, string>): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      '/bin/bash',
      [path.join(ROOT, 'localstack', 'e2e.sh')],
      { env: { ...process.env, NO_COLOR: '1', ...env }, cwd: ROOT, timeout: 280_000, maxBuffer: 16 << 20 },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

describe.skipIf(!ministack)('localstack/e2e.sh against ministack', () => {
  it('deploys, passes every check through API Gateway, S3 and tt, destroys and leaves nothing', async () => {
    const home = await mkdtemp(path.join(tmpdir(), 'tt-ministack-e2e-'));
    try {
      const result = await runE2e({
        LOCALSTACK_ENDPOINT: ministack!.endpoint,
        // tt's own settings and data stay out of the user's (and another test's) directories.
        TASKTRACKER_DATA_DIR: home,
        XDG_CONFIG_HOME: home,
      });
      const report = `${result.stdout}\n${result.stderr}\n--- ministack log ---\n${await ministack!.logTail()}`;
      expect(result.code, report).toBe(0);
      expect(result.stdout).toContain(`checks passed against ministack ${ministack!.version}`);
      // Every step of the script, each line a check it made (17 of them are the routes).
      for (const step of [
        'healthy: ministack',
        'deployed: API',
        '17 route checks',
        'S3 notification → InvocationLog: 40 rows imported, 2 rejected',
        'nothing imported twice (40 duplicates)',
        'a malformed file fails its own record only',
        'lands in the dead-letter queue',
        'GET /tasks/export: a presigned link',
        'tt export:',
        'tt tasks list: the 40 imported tasks',
        'tt logs imports-process',
        'destroyed tasktracker-staging: of its',
        'none is left',
      ])
        expect(result.stdout, report).toContain(step);
    } finally {
      await rm(home, { recursive: true, force: true });
    }
  }, 300_000);

  it('stops ministack and with it every Lambda process it started', async () => {
    // The run above started one worker process per function it called.
    expect(ministack!.processes().length).toBeGreaterThan(1);
    await ministack!.stop();
    expect(ministack!.processes()).toEqual([]);
  }, 30_000);
});
