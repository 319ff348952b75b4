import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { installTarballs, pack, publishablePackages } from './published.ts';

/**
 * Vitest globalSetup of the packaging suite: packs every publishable package once (each prepack builds
 * it) and installs the tarballs with npm, from the registry, into a project outside the repository, as
 * the README tells a user to. The test files share that project (`inject('installedProject')`).
 */
export default async function setup({ provide }: TestProject): Promise<() => Promise<void>> {
  const work = await mkdtemp(path.join(tmpdir(), 'tt-published-'));
  const tarballs: Record<string, string> = {};
  for (const pkg of publishablePackages()) tarballs[pkg.name] = await pack(pkg, path.join(work, 'tarballs'));
  const project = path.join(work, 'project');
  // The core README's install line names the SDK client beside the library; a TypeScript user has
  // Node's types.
  await installTarballs(project, [...Object.values(tarballs), '@aws-sdk/client-dynamodb', '@types/node@22']);
  provide('installedProject', project);
  provide('tarballs', tarballs);
  return () => rm(work, { recursive: true, force: true });
}
