import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const source = ['@tasktracker/source'];

/**
 * The packaging suite runs on its own, after the main run: packing rebuilds packages/cli/dist, which
 * the end-to-end suites run from while they are going.
 */
export default defineConfig({
  root: fileURLToPath(new URL('..', import.meta.url)),
  resolve: { conditions: source },
  ssr: { resolve: { conditions: source, externalConditions: source } },
  test: {
    include: ['packaging/test/**/*.test.ts'],
    globalSetup: ['packages/local/src/testing/global-setup.ts', 'packaging/support/global-setup.ts'],
    testTimeout: 120_000,
    hookTimeout: 600_000,
  },
});
