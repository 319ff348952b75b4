import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { publint } from 'publint';
import { formatMessage } from 'publint/utils';
import ts from 'typescript';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as z from 'zod';
import { binOf, CORE_DIR, type PackedCore, packCore, run } from './tarball.ts';

/**
 * What users get from npm: the tarball `pnpm pack` makes (its prepack builds dist/), unpacked outside
 * the repository. Nothing here reads src/ through the workspace's source condition. Installing it with
 * npm and using it from a project (imports, a TypeScript consumer, the quickstart on DynamoDB Local) is
 * packaging/test/core.test.ts.
 */
let packed: PackedCore;
beforeAll(async () => {
  packed = await packCore();
}, 180_000);
afterAll(() => packed?.dispose());

describe('the packed tarball', () => {
  it('holds the build, the sources its maps point at, the example, and nothing else', () => {
    const top = new Set(packed.files.map((file) => file.split('/')[0]));
    expect([...top].sort()).toEqual(['LICENSE', 'README.md', 'dist', 'examples', 'package.json', 'src']);
    expect(packed.files).toEqual(
      expect.arrayContaining([
        'dist/index.js',
        'dist/index.d.ts',
        'dist/index.js.map',
        'dist/index.d.ts.map',
        'dist/dynamo/ensure-tables.js',
        'src/index.ts',
        'examples/quickstart.mjs',
      ]),
    );
    // Every compiled module has its declarations and both maps.
    const modules = packed.files.filter((file) => file.endsWith('.js'));
    for (const file of modules) {
      expect(packed.files).toEqual(
        expect.arrayContaining([
          `${file}.map`,
          file.replace(/\.js$/, '.d.ts'),
          file.replace(/\.js$/, '.d.ts.map'),
        ]),
      );
    }
    expect(modules.length).toBe(
      packed.files.filter((file) => file.endsWith('.ts') && file.startsWith('src/')).length,
    );
  });

  it('publishes exports that name only files in the tarball, without the workspace source condition', () => {
    expect(packed.manifest.exports).toEqual({
      '.': { types: './dist/index.d.ts', default: './dist/index.js' },
      './client': { types: './dist/client/index.d.ts', default: './dist/client/index.js' },
      './package.json': './package.json',
    });
    expect(packed.files).toEqual(
      expect.arrayContaining([
        'dist/index.d.ts',
        'dist/index.js',
        'dist/client/index.d.ts',
        'dist/client/index.js',
        'package.json',
      ]),
    );
    expect(JSON.stringify(packed.manifest)).not.toContain('workspace:');
  });

  it('passes publint with every rule, suggestions included', async () => {
    const tarball = await readFile(packed.tarball);
    const { messages, pkg } = await publint({
      pack: { tarball: tarball.buffer.slice(tarball.byteOffset, tarball.byteOffset + tarball.byteLength) },
      level: 'suggestion',
      strict: true,
    });
    expect(messages.map((message) => `${message.type}: ${formatMessage(message, pkg)}`)).toEqual([]);
  });

  it('passes "are the types wrong" for an ESM-only package (profile esm-only)', async () => {
    const attw = await binOf('@arethetypeswrong/cli', 'attw');
    const outcome = await run(process.execPath, [
      attw,
      packed.tarball,
      '--profile',
      'esm-only',
      '--format',
      'json',
    ])
      .then((result) => ({ code: 0, stdout: result.stdout }))
      .catch((error: { code: number; stdout: string }) => ({ code: error.code, stdout: error.stdout }));
    const report = AttwReportSchema.parse(JSON.parse(outcome.stdout));
    // esm-only ignores CommonJS resolution (node10, node16-cjs): Node 22.12+, our floor, require()s ESM.
    const seen = Object.values(report.problems)
      .flat()
      .filter((problem) => !['node10', 'node16-cjs'].includes(problem.resolutionKind ?? ''));
    expect(seen).toEqual([]);
    expect(outcome.code).toBe(0);
    for (const [entry, types] of [
      ['.', 'dist/index.d.ts'],
      ['./client', 'dist/client/index.d.ts'],
    ] as const) {
      const resolutions = report.analysis.entrypoints[entry]?.resolutions ?? {};
      for (const kind of ['node16-esm', 'bundler']) {
        expect(resolutions[kind]?.resolution?.fileName).toBe(`/node_modules/@tasktracker/core/${types}`);
      }
    }
  });
});

describe('README', () => {
  const readme = () => readFile(path.join(CORE_DIR, 'README.md'), 'utf8');

  it('shows examples/quickstart.mjs as it is', async () => {
    const block = /## Quickstart\n[\s\S]*?```js\n([\s\S]*?)```/.exec(await readme())?.[1];
    expect(block).toBe(await readFile(path.join(CORE_DIR, 'examples', 'quickstart.mjs'), 'utf8'));
  });

  it('documents every export of the published package, and nothing it does not export', async () => {
    const api = /\n## API\n([\s\S]*?)\n## /.exec(await readme())?.[1] ?? '';
    const documented = new Set<string>();
    for (const row of api.split('\n').filter((line) => line.startsWith('| `'))) {
      const firstCell = row.split('|')[1] ?? '';
      for (const match of firstCell.matchAll(/`([A-Za-z_$][\w$]*)/g)) documented.add(match[1] as string);
    }
    expect([...documented].sort()).toEqual(
      exportedNames(path.join(packed.unpackedDir, 'dist', 'index.d.ts')),
    );
  });
});

/** Every name the entry point's declarations export, values and types alike. */
function exportedNames(declarations: string): string[] {
  const program = ts.createProgram([declarations], {
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    noEmit: true,
    skipLibCheck: true,
  });
  const source = program.getSourceFile(declarations);
  const symbol = source && program.getTypeChecker().getSymbolAtLocation(source);
  if (!symbol) throw new Error(`no module symbol for ${declarations}`);
  return program
    .getTypeChecker()
    .getExportsOfModule(symbol)
    .map((exported) => exported.name)
    .sort();
}

const AttwProblemSchema = z.looseObject({ kind: z.string(), resolutionKind: z.string().optional() });
const AttwReportSchema = z.object({
  problems: z.record(z.string(), z.array(AttwProblemSchema)),
  analysis: z.looseObject({
    entrypoints: z.record(
      z.string(),
      z.looseObject({
        resolutions: z.record(
          z.string(),
          z.looseObject({ resolution: z.looseObject({ fileName: z.string() }).optional() }),
        ),
      }),
    ),
  }),
});
