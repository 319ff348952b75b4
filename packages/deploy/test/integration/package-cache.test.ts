import { appendFileSync, existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { HANDLER_NAMES } from '@tasktracker/handlers';
import { describe, expect, it } from 'vitest';
import { packageStack } from '../../src/index.ts';
import { scratchProject } from '../support/project.ts';

/**
 * `tt package` (and every `tt deploy`) reuses the previous bundles when nothing they were built from
 * changed, and rebuilds when a source did. Real esbuild runs on the real handler sources.
 */
const HEALTH = 'functions/health.ts';
const project = scratchProject({ copied: [HEALTH] });
const zipTimes = (files: { file: string }[]) => files.map(({ file }) => statSync(file).mtimeMs);

describe('the package cache', () => {
  it('keys on every source file read, and on nothing that is not a file', async () => {
    const first = await packageStack(project, 'dev');
    expect(first.reused).toBe(false);
    expect(first.manifest.artifacts.map((artifact) => artifact.name)).toEqual([...HANDLER_NAMES]);
    // pino's stand-ins are virtual modules: the bundler fingerprint covers them, not the inputs.
    expect(first.manifest.inputs.filter((input) => !existsSync(join(project.root, input)))).toEqual([]);
    expect(first.manifest.inputs).toContain(join('packages', 'handlers', 'src', HEALTH));
    expect(first.manifest.inputsSha256).toMatch(/^[0-9a-f]{64}$/);
  }, 120_000);

  it('reuses the bundles when nothing changed: no esbuild run, the zips untouched', async () => {
    const before = (await packageStack(project, 'dev')).manifest;
    const again = await packageStack(project, 'dev');
    expect(again.reused).toBe(true);
    expect(again.manifest.artifacts).toEqual(before.artifacts);
    expect(zipTimes(again.manifest.artifacts)).toEqual(zipTimes(before.artifacts));
  }, 120_000);

  it('rebuilds when a source changed', async () => {
    const before = (await packageStack(project, 'dev')).manifest;
    appendFileSync(join(project.handlersSource, HEALTH), '\n// a change the cache must see\n');
    const changed = await packageStack(project, 'dev');
    expect(changed.reused).toBe(false);
    expect(changed.manifest.inputsSha256).not.toBe(before.inputsSha256);
    const health = (manifest: typeof before) => manifest.artifacts.find((a) => a.name === 'health')?.sha256;
    // The source map carries the source text, so the health zip changes; the others do not.
    expect(health(changed.manifest)).not.toBe(health(before));
    expect(changed.manifest.artifacts.find((a) => a.name === 'tasks-list')?.sha256).toBe(
      before.artifacts.find((a) => a.name === 'tasks-list')?.sha256,
    );
    expect((await packageStack(project, 'dev')).reused).toBe(true);
  }, 180_000);
});
