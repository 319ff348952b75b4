#!/usr/bin/env node
import { enableCompileCache } from './compile-cache.ts';
import { NODE_FLOOR, nodeIsSupported } from './node-floor.ts';
import { VERSION } from './version.ts';

// `tt --version` alone answers before the program loads. Every other command loads the program (commander
// and the command tree), then only the code of the command it runs (program.ts).
const args = process.argv.slice(2);
if (!nodeIsSupported(process.versions.node)) {
  // Said before anything loads: on an older Node the first failure would be a syntax or API error.
  process.stderr.write(
    `error UNSUPPORTED_NODE: tasktracker needs Node.js ${NODE_FLOOR} or newer; this is ${process.version}\n`,
  );
  process.exitCode = 1;
} else if (args.length === 1 && (args[0] === '--version' || args[0] === '-V')) {
  process.stdout.write(`${VERSION}\n`);
} else {
  // Before the program's chunks load: they are what the cache is for.
  enableCompileCache();
  const { run } = await import('./program.ts');
  await run(process.argv);
}
