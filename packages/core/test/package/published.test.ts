import { randomBytes } from 'node:crypto';
import { copyFile, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { deleteTables, localDynamoClient } from '@tasktracker/local';
import { publint } from 'publint';
import { formatMessage } from 'publint/utils';
import ts from 'typescript';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import * as z from 'zod';
import { createTaskTracker, defaultTableNames, type TableNames } from '../../src/index.ts';
import { binOf, CORE_DIR, type PackedCore, packCore, run } from './tarball.ts';

/**
 * What users get from npm: the tarball `pnpm pack` makes (its prepack builds dist/), unpacked into a
 * project outside the repository with only the dependencies it declares. Nothing here reads src/
 * through the workspace's source condition: the example, the types and the linters see dist/ alone.
 */
let packed: PackedCore;
beforeAll(async () => {
  packed = await packCore();
}, 180_000);
afterAll(() => packed?.dispose());

const installedDir = () => path.join(packed.projectDir, 'node_modules', '@tasktracker', 'core');

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
      './package.json': './package.json',
    });
    expect(packed.files).toEqual(
      expect.arrayContaining(['dist/index.d.ts', 'dist/index.js', 'package.json']),
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
    const resolutions = report.analysis.entrypoints['.']?.resolutions ?? {};
    for (const kind of ['node16-esm', 'bundler']) {
      expect(resolutions[kind]?.resolution?.fileName).toBe('/node_modules/@tasktracker/core/dist/index.d.ts');
    }
  });

  it('type-checks a strict TypeScript consumer under moduleResolution nodenext', async () => {
    const consumer = path.join(packed.projectDir, 'consumer.ts');
    await writeFile(path.join(packed.projectDir, 'package.json'), '{ "type": "module", "private": true }\n');
    await writeFile(consumer, CONSUMER);
    const tsc = await binOf('typescript', 'tsc');
    const args = ['--noEmit', '--strict', '--module', 'nodenext', '--moduleResolution', 'nodenext', consumer];
    const outcome = await run(process.execPath, [tsc, ...args], { cwd: packed.projectDir })
      .then(() => '')
      .catch((error: { stdout: string }) => error.stdout);
    expect(outcome).toBe('');
  });
});

const endpoint = inject('dynamoEndpoint');

describe.skipIf(!endpoint)('examples/quickstart.mjs from the installed tarball, on DynamoDB Local', () => {
  const prefix = `q${randomBytes(4).toString('hex')}-`;
  const tables = Object.fromEntries(
    Object.entries(defaultTableNames('dev')).map(([role, name]) => [role, `${prefix}${name}`]),
  ) as unknown as TableNames;
  afterAll(async () => {
    const client = localDynamoClient(endpoint);
    await deleteTables(client, tables).finally(() => client.destroy());
  });

  /** As a user runs it: `node quickstart.mjs` in their project, configured by the environment only. */
  async function runQuickstart(): Promise<string> {
    const script = path.join(packed.projectDir, 'quickstart.mjs');
    await copyFile(path.join(installedDir(), 'examples', 'quickstart.mjs'), script);
    const { stdout } = await run(process.execPath, [script], {
      cwd: packed.projectDir,
      env: {
        PATH: process.env.PATH,
        HOME: packed.workDir, // no ~/.aws of whoever runs the tests
        AWS_ENDPOINT_URL: endpoint,
        AWS_REGION: 'us-east-1',
        AWS_ACCESS_KEY_ID: 'local',
        AWS_SECRET_ACCESS_KEY: 'local',
        TASKS_TABLE: tables.tasks,
        CATEGORIES_TABLE: tables.categories,
        IDEMPOTENCY_TABLE: tables.idempotency,
        INVOCATION_LOG_TABLE: tables.invocationLog,
      },
    });
    return stdout;
  }

  const normalise = (output: string) =>
    output
      .replace(/[0-9A-HJKMNP-TV-Z]{26}/g, '<id>')
      .replace(/\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z/g, '<time>')
      .replace(/\r\n/g, '<CRLF>\n');

  const csv = (rows: string[]) => [...rows.map((row) => `${row}<CRLF>`), ''].join('\n');
  const HEADER =
    'taskId,title,description,completed,priority,categoryId,categoryName,dueDate,createdAt,updatedAt,version,userId';

  it('creates the tables, then creates, lists, completes and exports tasks, printing each step', async () => {
    const output = await runQuickstart();
    expect(normalise(output)).toBe(
      [
        `tables ready: ${Object.values(tables).join(', ')}`,
        'created "Buy milk" and "Call the plumber"',
        'open, by due date: Call the plumber, Buy milk',
        'completed "Buy milk": updated',
        'still open: Call the plumber',
        'export (CSV):',
        csv([
          HEADER,
          '<id>,Call the plumber,,false,medium,,,2026-11-15,<time>,<time>,1,alice',
          '<id>,Buy milk,,true,high,,,2026-12-01,<time>,<time>,2,alice',
        ]),
      ].join('\n'),
    );

    const client = localDynamoClient(endpoint);
    try {
      const { items } = await createTaskTracker({ client, tables }).tasks.list('alice');
      expect(items.map(({ title, completed, version }) => ({ title, completed, version }))).toEqual([
        { title: 'Call the plumber', completed: false, version: 1 },
        { title: 'Buy milk', completed: true, version: 2 },
      ]);
    } finally {
      client.destroy();
    }
  });

  it('runs again on the same tables without creating anything twice', async () => {
    const output = normalise(await runQuickstart());
    expect(output).toContain('already created "Buy milk" and "Call the plumber"\n');
    expect(output).toContain('still open: Call the plumber\n');
    expect(output.split('\n').filter((line) => line.startsWith('<id>,'))).toHaveLength(2);
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
    expect([...documented].sort()).toEqual(exportedNames(path.join(installedDir(), 'dist', 'index.d.ts')));
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

/** A consumer that fails to compile if the types are missing, wrong, or have decayed to `any`. */
const CONSUMER = `import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  type CreateTaskInput,
  createTaskTracker,
  ensureTables,
  type Task,
  type TableNames,
  TaskTrackerError,
} from '@tasktracker/core';

const client = new DynamoDBClient({});
const tables: TableNames = await ensureTables(client, { tasks: 'my-tasks' });
const tracker = createTaskTracker({ client, tables });
const input: CreateTaskInput = { title: 'Buy milk', priority: 'high' };
const created: { result: Task; replayed: boolean } = await tracker.tasks.create('alice', input);
const title: string = created.result.title;
// @ts-expect-error priority is one of low, medium, high
const wrong: CreateTaskInput = { title: 'x', priority: 'urgent' };
// @ts-expect-error a task id is a string, not a number
const id: number = created.result.taskId;
const status: number = new TaskTrackerError('VALIDATION_ERROR').status;
console.log(title, wrong, id, status);
`;
