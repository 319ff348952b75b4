import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { CLIENT_ROUTES } from '@tasktracker/core/client';
import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';
import { API_ROUTES } from '../../src/index.ts';

const CLIENT_ENTRY = fileURLToPath(new URL('../../../core/src/client/index.ts', import.meta.url));

/** Past this the client is no longer "a few KB beside zod" for a browser. */
const MAX_MINIFIED_BYTES = 60_000;

describe('the typed client against this API', () => {
  it('calls every route of the API and no other', () => {
    const client = Object.values(CLIENT_ROUTES).map(({ method, path }) => `${method} ${path}`);
    expect(client.sort()).toEqual(API_ROUTES.map(({ method, path }) => `${method} ${path}`).sort());
  });

  it('bundles for a browser with zod and core’s schemas only: no AWS SDK, no pino, no Node built-ins', async () => {
    const result = await build({
      entryPoints: [CLIENT_ENTRY],
      bundle: true,
      minify: true,
      format: 'esm',
      platform: 'browser',
      target: 'es2022',
      conditions: ['@tasktracker/source'],
      write: false,
      metafile: true,
      logLevel: 'silent',
    });
    const inputs = Object.keys(result.metafile.inputs);
    expect(inputs.filter((input) => /@aws-sdk|@smithy|pino|ulid|csv-/.test(input))).toEqual([]);
    expect(inputs.filter((input) => input.startsWith('node:'))).toEqual([]);
    const ours = inputs
      .filter((input) => !input.includes('node_modules'))
      .map((input) => input.replace(/^.*packages\//, ''));
    expect(
      ours.every(
        (input) =>
          /^core\/src\/(client|api|ids|errors|tasks|categories)\//.test(input) ||
          input === 'core/src/ids.ts' ||
          input === 'core/src/errors.ts',
      ),
    ).toBe(true);
    const code = result.outputFiles[0]!.contents;
    const gzipped = gzipSync(code).length;
    console.log(
      `client bundle: ${code.length} bytes minified, ${gzipped} gzipped; ${ours.length} core modules: ${ours.join(', ')}`,
    );
    expect(code.length).toBeLessThan(MAX_MINIFIED_BYTES);
  });
});
