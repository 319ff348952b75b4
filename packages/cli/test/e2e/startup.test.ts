import { execFile } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/**
 * What `tt` loads, read from the process itself: a module hook records every module it loads, and each
 * loaded chunk's source map names the sources bundled into it. Help and usage errors must load the
 * command tree and commander only; a command loads its own family, never the others'.
 */
const BIN = fileURLToPath(new URL('../../dist/tt.mjs', import.meta.url));
const RECORDER = pathToFileURL(fileURLToPath(new URL('./support/record-modules.mjs', import.meta.url))).href;
const REPO = fileURLToPath(new URL('../../../../', import.meta.url));

/** Bundled sources that help must never load (paths relative to the repository, pnpm's store folded). */
const HEAVY: Record<string, RegExp> = {
  'the AWS SDK': /^node_modules\/(@aws-sdk|@smithy)\//,
  zod: /^node_modules\/zod\//,
  'the core library': /^packages\/core\//,
  'the local engine': /^packages\/local\//,
  'the deployer': /^packages\/deploy\//,
  'the handlers': /^packages\/handlers\//,
  'the command implementations': /^packages\/cli\/src\/(commands|runtime\/session)/,
};

let home = '';
beforeAll(async () => {
  home = await mkdtemp(path.join(tmpdir(), 'tt-startup-'));
});
afterAll(async () => {
  await rm(home, { recursive: true, force: true });
});

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

function run(args: string[], options: { env?: Record<string, string>; node?: string[] } = {}): Promise<Run> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [...(options.node ?? []), BIN, ...args],
      {
        cwd: home,
        env: {
          ...process.env,
          TASKTRACKER_DATA_DIR: path.join(home, 'data'),
          XDG_CONFIG_HOME: path.join(home, 'config'),
          XDG_CACHE_HOME: path.join(home, 'cache'),
          NO_COLOR: '1',
          ...options.env,
        },
        timeout: 30_000,
      },
      (error, stdout, stderr) =>
        resolve({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr }),
    );
  });
}

/** Runs `tt args` and returns what it printed and every bundled source it loaded. */
async function sourcesLoadedBy(args: string[]): Promise<Run & { sources: string[] }> {
  const record = path.join(home, `loaded-${Date.now()}-${Math.random()}.txt`);
  const result = await run(args, { node: ['--import', RECORDER], env: { TT_LOADED_MODULES: record } });
  const files = readFileSync(record, 'utf8')
    .split('\n')
    .filter((url) => url.startsWith('file:'))
    .map((url) => fileURLToPath(url))
    .filter((file) => file.startsWith(path.dirname(BIN)));
  const sources = files.flatMap((file) => {
    const map = JSON.parse(readFileSync(`${file}.map`, 'utf8')) as { sources: string[] };
    return map.sources.map((source) =>
      path
        .relative(REPO, path.resolve(path.dirname(file), source))
        .replace(/^node_modules\/\.pnpm\/[^/]+\/node_modules\//, 'node_modules/'),
    );
  });
  return { ...result, sources };
}

const heavyIn = (sources: string[]) =>
  Object.entries(HEAVY)
    .filter(([, pattern]) => sources.some((source) => pattern.test(source)))
    .map(([name]) => name);

describe('tt start-up', () => {
  it.each([
    [['--help'], 0],
    [['tasks', '--help'], 0],
    [['deploy', '--help'], 0],
    [['help', 'categories'], 0],
    [['tasks', 'lst'], 2],
    // A missing argument of a subcommand exits 1: commander exits before the program's exit override.
    [['tasks', 'add'], 1],
    [['--bogus'], 2],
  ])('tt %j loads commander and the command tree only', async (args, code) => {
    const result = await sourcesLoadedBy(args);
    expect(result.code).toBe(code);
    expect(result.sources).toContain('packages/cli/src/register/tasks.ts');
    expect(result.sources.some((source) => source.startsWith('node_modules/commander/'))).toBe(true);
    expect(heavyIn(result.sources)).toEqual([]);
  });

  it('a command loads its own code and what it needs, not the other families', async () => {
    // The target is refused after the session's modules load and before any network call.
    const result = await sourcesLoadedBy(['tasks', 'list', '--target', 'bogus']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('--target must be local, aws, localstack or an endpoint URL');
    expect(result.sources).toContain('packages/cli/src/commands/tasks.ts');
    expect(heavyIn(result.sources)).toEqual(
      expect.arrayContaining(['the AWS SDK', 'zod', 'the core library', 'the local engine']),
    );
    const others = result.sources.filter((source) =>
      /^packages\/(deploy|handlers)\/|^packages\/cli\/src\/commands\/(deploy|stack|serve|doctor|logs)\.ts$|^node_modules\/(yaml|@aws-sdk\/client-(cloudformation|lambda|s3|cloudwatch-logs))\//.test(
        source,
      ),
    );
    expect(others).toEqual([]);
  });

  it('a malformed --parameter is a usage error (exit 2, one line), found before the deployer loads', async () => {
    const result = await sourcesLoadedBy(['deploy', '--parameter', 'no-equals-sign']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('--parameter takes Key=Value, not "no-equals-sign"');
    expect(result.stderr).not.toMatch(/^\s+at /m);
    expect(heavyIn(result.sources)).toEqual([]);
  });
});

describe("Node's compile cache", () => {
  const cacheDir = () => path.join(home, 'cache', 'tasktracker', 'compile-cache');
  const filesIn = (dir: string): string[] =>
    existsSync(dir)
      ? readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
          entry.isDirectory() ? filesIn(path.join(dir, entry.name)) : [entry.name],
        )
      : [];

  it('is off with NODE_DISABLE_COMPILE_CACHE=1, and written under the user cache dir otherwise', async () => {
    await rm(cacheDir(), { recursive: true, force: true });
    const off = await run(['tasks', '--help'], { env: { NODE_DISABLE_COMPILE_CACHE: '1' } });
    expect(off.code).toBe(0);
    expect(filesIn(cacheDir())).toEqual([]);
    const on = await run(['tasks', '--help']);
    expect(on).toEqual(off);
    expect(filesIn(cacheDir()).length).toBeGreaterThan(0);
  });

  it('fails silently where the cache dir cannot be made', async () => {
    const notADir = path.join(home, 'a-file');
    await writeFile(notADir, 'not a directory');
    const normal = await run(['--help']);
    const blocked = await run(['--help'], { env: { XDG_CACHE_HOME: notADir } });
    expect(blocked).toEqual({ code: 0, stdout: normal.stdout, stderr: '' });
  });
});
