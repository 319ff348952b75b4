import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { buildOpenApiDocument } from '@tasktracker/handlers';
import { describe, expect, it } from 'vitest';
import { useCli } from './harness.ts';

describe('tt openapi', () => {
  const cli = useCli();

  it('prints the generated document, or writes it with -o', async () => {
    const printed = await cli.run(['openapi']);
    expect(printed.code, printed.stderr).toBe(0);
    expect(JSON.parse(printed.stdout)).toEqual(buildOpenApiDocument());
    const file = path.join(cli.dataDir(), 'openapi.json');
    const written = await cli.run(['openapi', '-o', file]);
    expect(written.code, written.stderr).toBe(0);
    expect(written.stdout).toBe('');
    expect(await readFile(file, 'utf8')).toBe(printed.stdout);
  });
});
