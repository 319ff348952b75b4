import { text } from 'node:stream/consumers';
import { createTaskTracker, parseImportFile, type TaskTracker } from '@tasktracker/core';
import { createTestTables } from '@tasktracker/local/testing';
import { parse } from 'csv-parse/sync';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';

const endpoint = inject('dynamoEndpoint');
if (!endpoint) console.warn('[reliability] csv suite skipped: DynamoDB Local is not available');

/** OWASP's CSV-injection prefixes, which core promises to neutralise. */
const FORMULA_PREFIXES = ['=', '+', '-', '@', '\t', '\r'];
/** Fullwidth look-alikes: core does not treat them as formulas (see the README's CSV section). */
const FULLWIDTH = ['＝', '＋', '－', '＠'];
const TEXT_COLUMNS = ['title', 'description', 'categoryName'] as const;

/**
 * Text that CSV finds hard: separators, quotes, line breaks, the prefixes, apostrophes, unicode, spaces.
 * Half of the strings start with a formula prefix or an apostrophe, so neutralising is exercised often.
 */
const hardText = (maxLength: number) => {
  const body = fc.string({
    unit: fc.oneof(
      fc.constantFrom(...FORMULA_PREFIXES, ...FULLWIDTH, '\n', '\r\n', ',', '"', "'", ' ', ';', '\u00a0'),
      fc.string({ unit: 'grapheme', minLength: 1, maxLength: 1 }),
    ),
    maxLength,
  });
  const start = fc.oneof(fc.constant(''), fc.constantFrom(...FORMULA_PREFIXES, "'", ' '));
  return fc.tuple(start, body).map(([prefix, rest]) => `${prefix}${rest}`);
};

const taskInput = fc.record({
  title: hardText(40).filter((title) => title.trim().length > 0),
  description: fc.option(
    hardText(80).filter((value) => value.length > 0),
    { nil: undefined },
  ),
  completed: fc.boolean(),
  priority: fc.constantFrom('low', 'medium', 'high' as const),
});

describe.skipIf(!endpoint)('CSV export → import round trip (fast-check, DynamoDB Local)', () => {
  let tracker: TaskTracker;
  let drop: (() => Promise<void>) | undefined;
  let runs = 0;
  let cells = 0;
  let neutralised = 0;

  beforeAll(async () => {
    const created = await createTestTables(endpoint);
    drop = created.drop;
    tracker = createTaskTracker({ client: created.client, tables: created.tables });
  });
  afterAll(async () => {
    console.log(
      `[reliability] csv: ${runs} property runs, ${cells} exported text cells checked, ${neutralised} neutralised`,
    );
    await drop?.();
  });

  it('exports every text cell safe, and importing the export gives back the stored strings', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(taskInput, { minLength: 1, maxLength: 5 }),
        hardText(30).filter((name) => name.trim().length > 0),
        async (inputs, categoryName) => {
          runs++;
          const owner = `csv-owner-${runs}`;
          const category = (await tracker.categories.create(owner, { name: categoryName })).result;
          const created = await tracker.tasks.createMany(
            owner,
            inputs.map((input, n) => ({
              input: { ...input, ...(n % 2 ? { categoryId: category.categoryId } : {}) },
            })),
          );
          expect(created.map((item) => item.status)).toEqual(inputs.map(() => 'created'));
          const stored = (await tracker.tasks.list(owner, { sort: 'createdAt', order: 'asc', limit: 100 }))
            .items;
          const csv = await text(tracker.tasks.export(owner, { order: 'asc' }));

          // What a spreadsheet opens: no text cell may start like a formula.
          const rows = parse(csv, { columns: true, bom: true }) as Record<string, string>[];
          expect(rows).toHaveLength(stored.length);
          for (const row of rows) {
            for (const column of TEXT_COLUMNS) {
              const cell = row[column] ?? '';
              cells++;
              if (cell.startsWith("'")) neutralised++;
              expect(
                FORMULA_PREFIXES.some((prefix) => cell.startsWith(prefix)),
                JSON.stringify(cell),
              ).toBe(false);
            }
          }

          // What the import parser reads back: exactly the stored strings (an empty description is absent).
          const parsed = parseImportFile('csv', csv);
          expect(parsed).toEqual(
            stored.map((task) => ({
              line: expect.any(Number),
              input: {
                title: task.title,
                ...(task.description ? { description: task.description } : {}),
                completed: task.completed,
                priority: task.priority,
              },
              ...(task.categoryId ? { categoryName: category.name } : {}),
            })),
          );

          // And a real import as another user recreates the same tasks, in the same named categories.
          const copier = `csv-copier-${runs}`;
          const report = await tracker.tasks.import(copier, parsed, { source: `round-trip-${runs}` });
          expect(report).toMatchObject({ imported: stored.length, duplicates: 0, rejected: [], failed: 0 });
          const copies = (await tracker.tasks.list(copier, { sort: 'createdAt', order: 'asc', limit: 100 }))
            .items;
          const names = new Map((await tracker.categories.list(copier)).map((c) => [c.categoryId, c.name]));
          const view = (tasks: typeof stored, categoryOf: (id: string) => string | undefined) =>
            tasks.map((task) => ({
              title: task.title,
              description: task.description ?? '',
              completed: task.completed,
              priority: task.priority,
              category: task.categoryId ? categoryOf(task.categoryId) : undefined,
            }));
          expect(view(copies, (id) => names.get(id))).toEqual(view(stored, () => category.name));
        },
      ),
      { numRuns: 50, seed: 20_261_130 },
    );
  }, 80_000);
});
