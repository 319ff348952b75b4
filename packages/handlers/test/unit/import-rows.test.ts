import { describe, expect, it } from 'vitest';
import { ownerOf, rowIdempotencyKey } from '../../src/imports/process.ts';
import { formatOf, parseCsvRows, parseJsonLines, UnreadableFile } from '../../src/imports/rows.ts';

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

  it('takes the owner from imports/<userId>/ and the format from the extension', () => {
    expect(ownerOf('imports/alice/2026/tasks.csv')).toBe('alice');
    expect(() => ownerOf('imports/tasks.csv')).toThrow(UnreadableFile);
    expect(() => ownerOf('exports/alice/tasks.csv')).toThrow(UnreadableFile);
    expect(() => ownerOf('imports/bad#id/tasks.csv')).toThrow(UnreadableFile);
    expect(formatOf('a/B.NDJSON')).toBe('jsonl');
    expect(() => formatOf('a/b.xlsx')).toThrow(UnreadableFile);
  });

  it('derives one valid idempotency key per object version and row', () => {
    const key = rowIdempotencyKey('bucket', 'imports/alice/a file.csv', 'etag1', 7);
    expect(key).toMatch(/^[A-Za-z0-9_.:-]{1,128}$/);
    expect(key).not.toBe(rowIdempotencyKey('bucket', 'imports/alice/a file.csv', 'etag2', 7));
    expect(key).not.toBe(rowIdempotencyKey('bucket', 'imports/alice/a file.csv', 'etag1', 8));
  });
});
