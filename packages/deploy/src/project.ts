import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { TaskTrackerError } from '@tasktracker/core';

/** The files of a tasktracker checkout the deployer builds from. */
export interface Project {
  root: string;
  template: string;
  /** Where packages/handlers keeps its entry modules (src/functions/<name>.ts). */
  handlersSource: string;
  /** `.tasktracker/build/<stage>/`: bundles, zips, the resolved template and the manifest. */
  buildDir(stage: string): string;
}

const TEMPLATE = join('cloudformation', 'tasktracker.yaml');
const HANDLERS = join('packages', 'handlers', 'src');

function isRoot(dir: string): boolean {
  return existsSync(join(dir, TEMPLATE)) && existsSync(join(dir, HANDLERS));
}

function findUp(start: string): string | undefined {
  for (let dir = start; ; dir = dirname(dir)) {
    if (isRoot(dir)) return dir;
    if (dirname(dir) === dir) return undefined;
  }
}

/**
 * The checkout holding the template and the handler sources: the working directory or one above it,
 * else the checkout this module itself was loaded from (the CLI run as `pnpm tt` from anywhere).
 */
export function findProject(cwd = process.cwd()): Project {
  const root = findUp(cwd) ?? findUp(dirname(fileURLToPath(import.meta.url)));
  if (!root)
    throw new TaskTrackerError(
      'VALIDATION_ERROR',
      `no tasktracker checkout here: packaging needs ${TEMPLATE} and ${HANDLERS} (run from the repository)`,
    );
  return {
    root,
    template: join(root, TEMPLATE),
    handlersSource: join(root, HANDLERS),
    buildDir: (stage) => join(root, '.tasktracker', 'build', stage),
  };
}
