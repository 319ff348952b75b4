import { text } from 'node:stream/consumers';
import { parse } from 'csv-parse/sync';
import { beforeAll, describe, expect, it } from 'vitest';
import { restoreCell, TASK_COLUMNS } from '../../src/index.ts';
import { noEngine, useTracker } from './setup.ts';

describe.skipIf(noEngine)('export', () => {
  const t = useTracker();
  // Titles are trimmed, so the tab and carriage-return prefixes are tested through the description.
  const titles = ['=cmd|calc', '+1', '-2', '@SUM(A1)', 'quote "x", comma', 'multi\nline', "'apostrophe"];

  beforeAll(async () => {
    if (noEngine) return;
    const home = (await t.tracker.categories.create('exporter', { name: '=Home' })).result;
    for (const [n, title] of titles.entries()) {
      await t.tracker.tasks.create('exporter', {
        title,
        description: n % 2 ? '\tstarts with a tab' : '\rstarts with CR',
        categoryId: n % 2 ? home.categoryId : undefined,
        priority: 'high',
      });
    }
    await t.tracker.tasks.create('exporter', { title: 'low one', priority: 'low' });
  });

  it('writes RFC 4180 CSV with a header, category names, and neutralised formulas', async () => {
    const csv = await text(t.tracker.tasks.export('exporter', { order: 'asc' }));
    expect(csv.startsWith(`${TASK_COLUMNS.join(',')}\r\n`)).toBe(true);
    const rows = parse(csv, { columns: true }) as Record<string, string>[];
    expect(rows).toHaveLength(titles.length + 1);
    for (const row of rows) {
      expect(row.title).not.toMatch(/^[=+\-@\t\r]/);
      expect(row.categoryName).not.toMatch(/^[=+\-@\t\r]/);
      expect(row.description).not.toMatch(/^[=+\-@\t\r]/);
    }
    expect(rows.slice(0, titles.length).map((row) => restoreCell(row.title ?? ''))).toEqual(titles);
    expect(rows[1]?.categoryName).toBe("'=Home");
    expect(rows[0]?.completed).toBe('false');
  });

  it('applies the list filters and writes JSON Lines without neutralising', async () => {
    const jsonl = await text(
      t.tracker.tasks.export('exporter', { priority: 'high', order: 'asc' }, { format: 'jsonl' }),
    );
    const records = jsonl
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));
    expect(records.map((record) => record.title)).toEqual(titles);
    expect(records[1].categoryName).toBe('=Home');
  });

  it('reports progress row by row', async () => {
    const counts: number[] = [];
    await text(t.tracker.tasks.export('exporter', {}, { onRow: (rows) => counts.push(rows) }));
    expect(counts.at(-1)).toBe(titles.length + 1);
  });
});
