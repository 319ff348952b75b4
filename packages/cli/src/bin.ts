#!/usr/bin/env node
import { VERSION } from './version.ts';

// We support Node 20 (the SDK's notice about its own future Node 22 floor would print on every command).
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

// `tt --version` alone answers before the program loads: loading it (the DynamoDB client, zod schemas,
// every command) costs ~0.25 s of CPU that printing a constant does not need (bench/cli-latency.ts).
const args = process.argv.slice(2);
if (args.length === 1 && (args[0] === '--version' || args[0] === '-V')) {
  process.stdout.write(`${VERSION}\n`);
} else {
  const { run } = await import('./program.ts');
  await run(process.argv);
}
