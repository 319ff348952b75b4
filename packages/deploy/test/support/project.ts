import {
  copyFileSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll } from 'vitest';
import { type CheckoutProject, requireCheckout } from '../../src/index.ts';

const checkout = requireCheckout();
const roots: string[] = [];
// Registered when a test file imports this module: its scratch checkouts go when the file is done.
afterAll(() => {
  for (const root of roots) rmSync(root, { recursive: true, force: true });
});

/**
 * A checkout of its own in a temporary directory: the real template (edited by `editTemplate`) and
 * the real handler sources, linked file by file, except `copied` (paths under packages/handlers/src),
 * which are copies a test may change. Its build directory is its own. Removed when the test file is done.
 */
export function scratchProject(
  options: { editTemplate?: (template: string) => string; copied?: string[] } = {},
): CheckoutProject {
  const root = mkdtempSync(join(tmpdir(), 'tt-deploy-project-'));
  roots.push(root);
  writeFileSync(join(root, 'package.json'), JSON.stringify({ name: 'tasktracker', private: true }));
  mkdirSync(join(root, 'cloudformation'));
  const template = readFileSync(checkout.template, 'utf8');
  writeFileSync(
    join(root, 'cloudformation', 'tasktracker.yaml'),
    options.editTemplate?.(template) ?? template,
  );
  const copied = new Set(options.copied ?? []);
  const mirror = (relative: string) => {
    const to = join(root, 'packages', 'handlers', 'src', relative);
    const from = join(checkout.handlersSource, relative);
    const isParentOfCopy = [...copied].some((path) => path.startsWith(`${relative}/`) || relative === '');
    if (!isParentOfCopy) {
      mkdirSync(dirname(to), { recursive: true });
      if (copied.has(relative)) copyFileSync(from, to);
      else symlinkSync(from, to);
      return;
    }
    mkdirSync(to, { recursive: true });
    for (const entry of readdirSync(from)) mirror(relative ? `${relative}/${entry}` : entry);
  };
  mirror('');
  return requireCheckout(root);
}
