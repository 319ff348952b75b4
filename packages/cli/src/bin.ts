#!/usr/bin/env node
// We support Node 20 (the SDK's notice about its own future Node 22 floor would print on every command).
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

const { run } = await import('./program.ts');
await run(process.argv);
