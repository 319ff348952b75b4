import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CSV_FORMAT, neutraliseCell, restoreCell } from '../../src/index.ts';

const roundTrip = (values: string[]) => {
  const text = stringify([values.map(neutraliseCell)], CSV_FORMAT);
  const [row] = parse(text, { relax_column_count: false }) as string[][];
  return (row ?? []).map(restoreCell);
};

describe('CSV cells', () => {
  it('neutralises every formula-injection prefix', () => {
    for (const cell of ['=1+1', '+1', '-1', '@SUM(A1)', '\tx', '\rx', '=HYPERLINK("http://x")']) {
      const safe = neutraliseCell(cell);
      expect(safe.startsWith("'"), JSON.stringify(cell)).toBe(true);
      expect(restoreCell(safe)).toBe(cell);
    }
    expect(neutraliseCell('plain')).toBe('plain');
  });

  it('round-trips arbitrary strings through CSV text', () => {
    fc.assert(
      fc.property(
        fc.array(fc.string({ unit: 'grapheme', maxLength: 40 }), { minLength: 1, maxLength: 6 }),
        (values) => {
          expect(roundTrip(values)).toEqual(values);
        },
      ),
      { numRuns: 500 },
    );
  });

  it('round-trips strings built from the dangerous characters', () => {
    const dangerous = fc.string({
      unit: fc.constantFrom('=', '+', '-', '@', '\t', '\r', '\n', "'", '"', ',', 'a'),
      maxLength: 8,
    });
    fc.assert(
      fc.property(fc.array(dangerous, { minLength: 1, maxLength: 4 }), (values) => {
        expect(roundTrip(values)).toEqual(values);
      }),
    );
  });
});
