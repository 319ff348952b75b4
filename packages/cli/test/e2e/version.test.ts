import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { useCli } from './harness.ts';

const { version } = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
  version: string;
};

describe('tt --version', () => {
  const cli = useCli();

  it("prints the package's version, by the short path alone and by the program beside other options", async () => {
    for (const args of [['--version'], ['-V'], ['--no-color', '--version']]) {
      const result = await cli.run(args);
      expect({ args, code: result.code, stdout: result.stdout }).toEqual({
        args,
        code: 0,
        stdout: `${version}\n`,
      });
    }
  });
});
