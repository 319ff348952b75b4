// `pnpm tt` at the repository root: rebuilds the bundle when a source file is newer, then runs it.
import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const packages = fileURLToPath(new URL('../..', import.meta.url));
const bundle = path.join(packages, 'cli', 'dist', 'tt.mjs');

function newestSource(dir) {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestSource(full) : statSync(full).mtimeMs);
  }
  return newest;
}

const built = (() => {
  try {
    return statSync(bundle).mtimeMs;
  } catch {
    return 0;
  }
})();
const sources = Math.max(
  ...['core', 'local', 'cli'].map((name) => newestSource(path.join(packages, name, 'src'))),
);
if (sources > built) {
  const { buildCli } = await import('./build.mjs');
  await buildCli();
}
await import(pathToFileURL(bundle).href);
