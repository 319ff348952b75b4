import { safeParse } from '@tasktracker/core';
import { API_ROUTES, apiGatewayModels, operationOf, routeKey } from '@tasktracker/handlers';
import ajvDraft04 from 'ajv-draft-04';

// A CommonJS module: its class is module.exports, and module.exports.default as the types see it.
const Ajv = ajvDraft04.default;

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

const ULID = '01JV4Q5C3N2M8K7R6T5W4X3Y2Z';
/** Characters where trim(), regex \s and other engines disagree, among ordinary ones. */
const TRICKY = [' ', '\t', '\u00a0', '\u2028', '\ufeff', '\u0085', '\u001c', '\u200b', 'a', 'Z', '😀'];

const valueArb = fc.oneof(
  fc.string({ maxLength: 8 }),
  fc.string({ unit: fc.constantFrom(...TRICKY), maxLength: 6 }),
  fc.constantFrom('', 'Buy milk', 'low', 'high', 'complete', 'move', ULID, 'not-a-ulid', '#1E90FF', 'red'),
  fc.constantFrom(
    '2026-05-01',
    '2026-02-30',
    '2026-05-01T10:00:00Z',
    '2026-05-01T10:00:00+02:00',
    '2026-05-01 10:00',
  ),
  fc.string({ unit: 'grapheme', minLength: 195, maxLength: 205 }),
  fc.boolean(),
  fc.integer({ min: -1, max: 3 }),
  fc.double(),
  fc.constant(null),
  fc.array(fc.constantFrom(ULID, 'x', ''), { maxLength: 3 }),
);

/**
 * The edge must never refuse a body the Lambda accepts (it would make the API stricter than its
 * code), and the two agree on the ordinary cases. Generated bodies use the schema's own field names,
 * a stray one, and values chosen where the two validators could part: whitespace, lengths, formats.
 */
describe('API Gateway models against the zod schemas they come from', () => {
  const ajv = new Ajv({ strict: false });
  for (const model of apiGatewayModels()) {
    const route = API_ROUTES.find((candidate) => routeKey(candidate) === model.routes[0]);
    const operation = route ? operationOf(route) : undefined;
    const body = operation?.body;
    const example = (operation?.bodyExample ?? {}) as Record<string, unknown>;
    const fields = Object.keys((model.schema.properties as object | undefined) ?? {});
    const names = fields.length > 0 ? fields : ['action', 'ids', 'categoryId'];
    const edge = ajv.compile(model.schema);

    it(`${model.name}: the edge never refuses what the Lambda accepts`, () => {
      expect(body).toBeDefined();
      const accepted = { lambda: 0, edge: 0 };
      fc.assert(
        fc.property(
          fc.oneof(
            fc.dictionary(fc.constantFrom(...names, 'extra'), valueArb, { maxKeys: 5 }),
            // The documented example with a field or two changed: near-valid bodies, where the rules bite.
            fc
              .dictionary(fc.constantFrom(...names, 'extra'), valueArb, { maxKeys: 2 })
              .map((changes) => ({ ...example, ...changes })),
          ),
          (candidate) => {
            const lambda = safeParse(body as never, candidate).success;
            const atEdge = edge(candidate);
            if (lambda) accepted.lambda++;
            if (atEdge) accepted.edge++;
            expect(atEdge || !lambda, JSON.stringify(candidate)).toBe(true);
          },
        ),
        { numRuns: 400, seed: 14 },
      );
      // Not a vacuous run: some bodies must have passed both.
      expect(accepted.lambda).toBeGreaterThan(0);
    });
  }

  it('agrees on trimmed titles, including whitespace other engines count differently', () => {
    const create = apiGatewayModels().find((model) => model.name === 'CreateTaskInput');
    const edge = ajv.compile(create?.schema ?? {});
    for (const title of [
      ' a ',
      '\u00a0a\ufeff',
      '\u2028',
      '\u0085',
      ' \u001c ',
      'x'.repeat(200),
      ` ${'x'.repeat(200)} `,
    ])
      expect(edge({ title }), JSON.stringify(title)).toBe(
        title.trim().length > 0 && title.trim().length <= 200,
      );
    expect(edge({ title: 'x'.repeat(201) })).toBe(false);
  });
});
