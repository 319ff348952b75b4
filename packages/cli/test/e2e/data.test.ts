import { spawn } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { noEngine, useCli } from './harness.ts';

interface ImportJson {
  imported: number;
  duplicates: number;
  rejected: { line: number; reason: string }[];
}

describe.skipIf(noEngine)('tt seed, export, import, doctor', () => {
  const cli = useCli();
  const file = (name: string) => path.join(cli.dataDir(), name);

  it('seeds deterministic data, and a re-run adds nothing', async () => {
    const first = await cli.run(['seed', '--tasks', '300', '--categories', '4', '--seed', '7', '--json']);
    expect(first.json()).toMatchObject({ created: 300, existing: 0, categories: 4 });
    const again = await cli.run(['seed', '--tasks', '300', '--categories', '4', '--seed', '7', '--json']);
    expect(again.json()).toMatchObject({ created: 0, existing: 300 });
    const categories = (await cli.run(['categories', 'list', '--json'])).json<{
      items: { name: string; taskCount: number }[];
    }>();
    expect(categories.items.map((c) => c.name)).toEqual(['Errands', 'Health', 'Home', 'Work']);
    const counted = categories.items.reduce((sum, c) => sum + c.taskCount, 0);
    // Same seed, same data: the category split is a property of seed 7.
    const other = await cli.run([
      'seed',
      '--tasks',
      '300',
      '--categories',
      '4',
      '--seed',
      '7',
      '--user',
      'twin',
      '--json',
    ]);
    expect(other.code).toBe(0);
    const twin = (await cli.run(['categories', 'list', '--json', '--user', 'twin'])).json<{
      items: { taskCount: number }[];
    }>();
    expect(twin.items.map((c) => c.taskCount)).toEqual(categories.items.map((c) => c.taskCount));
    expect(counted).toBeGreaterThan(200);
    expect((await cli.run(['seed', '--tasks', 'many'])).code).toBe(2);
    // The first test of the file also starts this file's engine (a JVM): generous on a loaded machine.
  }, 90_000);

  it('exports CSV to a file and JSON Lines to stdout, with the list filters', async () => {
    const written = await cli.run(['export', '-o', file('all.csv')]);
    expect(written.code).toBe(0);
    expect(written.stderr).toContain('exported 300 task(s)');
    const rows = parse(await readFile(file('all.csv'), 'utf8'), { columns: true }) as Record<
      string,
      string
    >[];
    expect(rows).toHaveLength(300);
    expect(Object.keys(rows[0] ?? {})).toContain('categoryName');
    const jsonl = await cli.run(['export', '--format', 'jsonl', '--priority', 'high', '--status', 'open']);
    const records = jsonl.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));
    expect(records.length).toBeGreaterThan(0);
    for (const record of records) expect(record).toMatchObject({ priority: 'high', completed: false });
    expect(jsonl.stderr).toBe('');
  });

  it('imports an export into another user exactly once, creating its categories', async () => {
    const first = await cli.run(['import', file('all.csv'), '--user', 'copy', '--json']);
    expect(first.json<ImportJson>()).toMatchObject({ imported: 300, duplicates: 0, rejected: [] });
    const again = await cli.run(['import', file('all.csv'), '--user', 'copy', '--json']);
    expect(again.json<ImportJson>()).toMatchObject({ imported: 0, duplicates: 300 });
    const mine = (await cli.run(['categories', 'list', '--json'])).json<{
      items: { name: string; taskCount: number }[];
    }>();
    const theirs = (await cli.run(['categories', 'list', '--json', '--user', 'copy'])).json<{
      items: { name: string; taskCount: number }[];
    }>();
    expect(theirs.items.map((c) => [c.name, c.taskCount])).toEqual(
      mine.items.map((c) => [c.name, c.taskCount]),
    );
  });

  it('reports rejected rows of a malformed file with line numbers and a failing exit code', async () => {
    await writeFile(
      file('bad.csv'),
      'title,priority,dueDate\nGood row,high,2026-12-01\n,low,\nBad priority,urgent,\nBad date,low,someday\n"unterminated,low,\n',
    );
    const result = await cli.run(['import', file('bad.csv'), '--user', 'importer', '--json']);
    expect(result.code).toBe(1);
    const report = result.json<ImportJson>();
    expect(report.imported).toBe(1);
    expect(report.rejected.map((r) => r.line).slice(0, 3)).toEqual([3, 4, 5]);
    expect(report.rejected[1]?.reason).toMatch(/priority/);
    const dry = await cli.run(['import', file('bad.csv'), '--user', 'dry', '--dry-run', '--json']);
    expect(dry.json<ImportJson>().imported).toBe(1);
    expect(
      (await cli.run(['tasks', 'list', '--json', '--user', 'dry'])).json<{ items: unknown[] }>().items,
    ).toHaveLength(0);
    await writeFile(file('rows.jsonl'), '{"title":"a"}\nnot json\n{"title":"b","priority":"high"}\n');
    const jsonl = await cli.run(['import', file('rows.jsonl'), '--user', 'importer', '--json']);
    expect(jsonl.json<ImportJson>()).toMatchObject({
      imported: 2,
      rejected: [{ line: 2, reason: 'not valid JSON' }],
    });
    expect((await cli.run(['import', file('missing.csv')])).code).toBe(2);
  });

  it('finishes an interrupted import on re-run without duplicates', async () => {
    const lines = ['title,priority'];
    for (let n = 0; n < 3000; n++) lines.push(`Row ${n},low`);
    await writeFile(file('big.csv'), `${lines.join('\n')}\n`);
    const bin = fileURLToPath(new URL('../../dist/tt.mjs', import.meta.url));
    const child = spawn(
      process.execPath,
      [bin, 'import', file('big.csv'), '--user', 'interrupted', '--json'],
      {
        env: { ...process.env, TASKTRACKER_DATA_DIR: cli.dataDir() },
      },
    );
    let stdout = '';
    child.stdout.on('data', (chunk) => {
      stdout += chunk;
    });
    setTimeout(() => child.kill('SIGINT'), 700);
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    const partial = stdout ? (JSON.parse(stdout) as ImportJson & { aborted: boolean }) : undefined;
    if (partial?.aborted) expect(code).toBe(130);
    const rerun = (
      await cli.run(['import', file('big.csv'), '--user', 'interrupted', '--json'])
    ).json<ImportJson>();
    expect(rerun.imported + rerun.duplicates).toBe(3000);
    const all = (
      await cli.run(['tasks', 'list', '--all', '--limit', '100', '--json', '--user', 'interrupted'])
    ).json<{
      items: { title: string }[];
    }>();
    expect(all.items).toHaveLength(3000);
    expect(new Set(all.items.map((task) => task.title)).size).toBe(3000);
  });

  it('doctor checks every piece and says OK', async () => {
    const result = await cli.run(['doctor', '--json']);
    const report = result.json<{ ok: boolean; checks: { name: string; ok: boolean }[] }>();
    expect(report.checks.map((check) => check.name)).toEqual(
      expect.arrayContaining([
        'node',
        'java',
        'engine',
        'endpoint',
        'table tasks',
        'table categories',
        'table idempotency',
      ]),
    );
    expect(report.ok).toBe(true);
    expect(result.code).toBe(0);
    const unreachable = await cli.run(['doctor', '--endpoint', 'http://127.0.0.1:9', '--json']);
    expect(unreachable.code).toBe(1);
    expect(
      unreachable
        .json<{ checks: { name: string; ok: boolean }[] }>()
        .checks.find((c) => c.name === 'endpoint')?.ok,
    ).toBe(false);
  });
});
