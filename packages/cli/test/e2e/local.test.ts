import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { noEngine, useCli } from './harness.ts';

const isAlive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

describe.skipIf(noEngine)('tt local', () => {
  const cli = useCli();
  const state = async () =>
    JSON.parse(await readFile(path.join(cli.dataDir(), 'engine.json'), 'utf8')) as {
      pid: number;
      port: number;
    };

  it('starts one engine when five first commands race', async () => {
    const results = await Promise.all(
      Array.from({ length: 5 }, (_, n) => cli.run(['tasks', 'add', `racer ${n}`, '--json'])),
    );
    for (const result of results) expect(result.code).toBe(0);
    expect(results.filter((result) => result.stderr.includes('started the local engine'))).toHaveLength(1);
    const { pid } = await state();
    expect(isAlive(pid)).toBe(true);
    const listed = (await cli.run(['tasks', 'list', '--json'])).json<{ items: unknown[] }>();
    expect(listed.items).toHaveLength(5);
  });

  it('reports status, and keeps data across stop and start', async () => {
    const status = await cli.run(['local', 'status', '--json']);
    expect(status.json()).toMatchObject({ running: true, dataDir: cli.dataDir() });
    const { pid } = await state();
    const stopped = await cli.run(['local', 'stop', '--json']);
    expect(stopped.json()).toMatchObject({ stopped: true, pid });
    expect(isAlive(pid)).toBe(false);
    const down = await cli.run(['local', 'status']);
    expect(down.code).toBe(3);
    expect(down.stdout).toContain('not running');
    const started = await cli.run(['local', 'start']);
    expect(started.stdout).toMatch(/^Started: http:\/\/127\.0\.0\.1:\d+/);
    const listed = (await cli.run(['tasks', 'list', '--json'])).json<{ items: unknown[] }>();
    expect(listed.items).toHaveLength(5);
  });

  it('replaces a stale state file whose pid is dead', async () => {
    const current = await state();
    await cli.run(['local', 'stop']);
    // A state file left behind by a crash, pointing at a pid that no longer exists.
    await writeFile(
      path.join(cli.dataDir(), 'engine.json'),
      JSON.stringify({ ...current, pid: 2 ** 22 + 12_345, tableSets: ['tasktracker-dev-tasks'] }),
    );
    const listed = await cli.run(['tasks', 'list', '--json']);
    expect(listed.code).toBe(0);
    expect(listed.stderr).toContain('started the local engine');
    expect(listed.json<{ items: unknown[] }>().items).toHaveLength(5);
    expect(isAlive((await state()).pid)).toBe(true);
  });

  it('wipes the data on reset --yes, and refuses without it off a terminal', async () => {
    const refused = await cli.run(['local', 'reset']);
    expect(refused.code).toBe(2);
    expect((await cli.run(['local', 'reset', '--yes'])).code).toBe(0);
    const listed = (await cli.run(['tasks', 'list', '--json'])).json<{ items: unknown[] }>();
    expect(listed.items).toHaveLength(0);
  });
});
