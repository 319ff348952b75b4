import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { findProject, packageStack } from '../../src/index.ts';

describe('tt package', () => {
  const scratch = mkdtemp(join(tmpdir(), 'tt-package-'));
  afterAll(async () => rm(await scratch, { recursive: true, force: true }));

  it('reuses the previous bundles when no source changed, so a no-op deploy bundles nothing', async () => {
    // The checkout's sources, built into a directory of this test's own.
    const dir = await scratch;
    const project = { ...findProject(), buildDir: (stage: string) => join(dir, stage) };
    const first = await packageStack(project, 'dev');
    expect(first.reused).toBe(false);
    // What the reuse is checked against: files that exist (the pino stand-ins are none, and were listed).
    expect(first.manifest.inputs.filter((input) => !existsSync(join(project.root, input)))).toEqual([]);
    expect(first.manifest.inputsSha256).toMatch(/^[0-9a-f]{64}$/);
    const second = await packageStack(project, 'dev');
    expect(second.reused).toBe(true);
    expect(second.manifest.artifacts).toEqual(first.manifest.artifacts);
  }, 120_000);
});
