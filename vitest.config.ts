import { defineConfig } from 'vitest/config';

const source = ['@tasktracker/source'];

/**
 * One run for the whole workspace: one DynamoDB Local engine (started by the global setup on a free
 * loopback port) is shared by every suite, and each test file creates its own uniquely named tables.
 */
export default defineConfig({
  resolve: { conditions: source },
  ssr: { resolve: { conditions: source, externalConditions: source } },
  test: {
    include: ['packages/*/test/**/*.test.ts', 'reliability/test/**/*.test.ts'],
    globalSetup: ['packages/local/src/testing/global-setup.ts', 'packages/cli/test/build-cli.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
