import { describe, expect, it } from 'vitest';
import { formatOf, parseCsvRows, parseJsonLines, UnreadableFile } from '../../src/tasks/import-rows.ts';

const HEADER =
  'taskId,title,description,completed,priority,categoryId,categoryName,dueDate,createdAt,updatedAt,version,userId';

describe('import rows', () => {
  it('numbers CSV rows by the line they start on, through multi-line cells with LF or CRLF', () => {
    for (const newline of ['\n', '\r\n']) {
      const text = [
        HEADER,
        `,"two${newline}lines",,,,,,,,,,`,
        ',after,,,,,,,,,,',
        ',,empty title,,,,,,,,,',
      ].join(newline);
      const rows = parseCsvRows(text);
      expect(rows.map((row) => row.line)).toEqual([2, 4, 5]);
      expect(rows[0]).toEqual({ line: 2, input: { title: `two${newline}lines` } });
      expect(rows[2]).toMatchObject({ line: 5, error: expect.stringMatching(/^title:/) });
    }
  });

  it('strips exactly one protective apostrophe and reads booleans, ignoring ids and owners', () => {
    const [row] = parseCsvRows(`${HEADER}\r\nX,'=1+1,'''quoted,TRUE,high,,,2026-12-01,t,t,9,mallory`);
    expect(row).toEqual({
      line: 2,
      input: {
        title: '=1+1',
        description: "''quoted",
        completed: true,
        priority: 'high',
        dueDate: '2026-12-01',
      },
    });
  });

  it('rejects a row with the wrong number of cells and keeps the others', () => {
    const rows = parseCsvRows(`title,priority\nfine,low\ntoo,many,cells\nalso fine,high\n`);
    expect(rows.map((row) => [row.line, 'error' in row])).toEqual([
      [2, false],
      [3, true],
      [4, false],
    ]);
  });

  it('refuses a CSV without a title column as unreadable', () => {
    expect(() => parseCsvRows('name,colour\nx,y\n')).toThrow(UnreadableFile);
  });

  it('reads JSON Lines, rejecting lines that are not JSON objects', () => {
    const rows = parseJsonLines('{"title":"a","completed":true}\n\n[1]\n{bad\n{"title":""}\n');
    expect(rows).toEqual([
      { line: 1, input: { title: 'a', completed: true } },
      { line: 3, error: 'not a JSON object' },
      { line: 4, error: 'not valid JSON' },
      { line: 5, error: expect.stringMatching(/^title:/) },
    ]);
  });

  it('takes the format from the extension', () => {
    expect(formatOf('a/B.NDJSON')).toBe('jsonl');
    expect(formatOf('tasks.CSV')).toBe('csv');
    expect(() => formatOf('a/b.xlsx')).toThrow(UnreadableFile);
  });

  it('carries a category name for the import to resolve, in place of the exported id', () => {
    const [row] = parseCsvRows(
      'title,categoryId,categoryName\nWater plants,01J00000000000000000000000,Garden\n',
    );
    expect(row).toEqual({ line: 2, input: { title: 'Water plants' }, categoryName: 'Garden' });
  });
});
