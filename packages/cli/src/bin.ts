#!/usr/bin/env node
import { NODE_FLOOR, nodeIsSupported } from './node-floor.ts';
import { VERSION } from './version.ts';

// `tt --version` alone answers before the program loads: loading it (the DynamoDB client, zod schemas,
// every command) costs ~0.25 s of CPU that printing a constant does not need (bench/cli-latency.ts).
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
  const { run } = await import('./program.ts');
  await run(process.argv);
}
