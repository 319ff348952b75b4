import { changesSomething } from '@tasktracker/core';
import * as z from 'zod/mini';

/** A JSON Schema as a plain object: what the document and the API Gateway models carry. */
export type JsonSchema = { [keyword: string]: unknown };

export type SchemaTarget = 'draft-2020-12' | 'draft-04';

/**
 * JavaScript's whitespace, as String.prototype.trim() removes it, spelled out: `\s` means something
 * else in other regex engines (Python's counts \x1c-\x1f and \x85, not \ufeff), and a tester that
 * generates from the pattern must agree with the trim that validates.
 */
const JS_SPACE = '\\t\\n\\x0b\\f\\r \\u00a0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000\\ufeff';

/** Text whose trimmed length is within [min, max]: what `z.trim()` then length checks accept. */
function trimmedTextPattern(min: number, max: number): string {
  const space = `[${JS_SPACE}]*`;
  const solid = `[^${JS_SPACE}]`;
  // Past the first solid character: up to max-2 of anything, then a solid last one (at least min-2).
  const rest = `[\\s\\S]{${Math.max(0, min - 2)},${max - 2}}${solid}`;
  const inner = max < 2 ? '' : min >= 2 ? rest : `(?:${rest})?`;
  return `^${space}${min === 0 ? `(?:${solid}${inner})?` : `${solid}${inner}`}${space}$`;
}

interface ZodInternals {
  def: {
    type: string;
    checks?: { _zod: { def: { check: string; tx?: (value: string) => string; fn?: unknown } } }[];
    in?: z.core.$ZodType;
    out?: z.core.$ZodType;
    coerce?: boolean;
    shape?: Record<string, unknown>;
  };
}
const internals = (schema: z.core.$ZodType) => (schema as unknown as { _zod: ZodInternals })._zod;

/** An overwrite check that trims: probed by what it does, since it carries no name. */
const trims = (check: { _zod: { def: { check: string; tx?: (value: string) => string } } }) =>
  check._zod.def.check === 'overwrite' && check._zod.def.tx?.(' a ') === 'a';

/**
 * zod's own conversion, plus what it cannot see: a number parsed from text is the integer it becomes
 * (query strings), trimmed text is described by a pattern over the untrimmed input, and the "change
 * something" refinement of update bodies becomes `anyOf` of the fields it accepts. Any other
 * refinement is invisible here: a test walks the request schemas and fails on one it does not know.
 */
export function jsonSchemaOf(
  schema: z.core.$ZodType,
  io: 'input' | 'output',
  target: SchemaTarget,
): JsonSchema {
  const converted = z.toJSONSchema(schema, {
    io,
    target,
    unrepresentable: 'throw',
    reused: 'inline',
    override: ({ zodSchema, jsonSchema }) => {
      const { def } = internals(zodSchema);
      const json = jsonSchema as JsonSchema;
      if (def.type === 'pipe' && def.in && def.out && internals(def.in).def.coerce && io === 'input') {
        for (const key of Object.keys(json)) if (key !== 'default') delete json[key];
        const { $schema: _, ...integer } = jsonSchemaOf(def.out, 'output', target);
        Object.assign(json, integer);
      }
      if (def.type === 'string' && def.checks?.some(trims) && io === 'input') {
        const min = Number(json.minLength ?? 0);
        const max = Number(json.maxLength ?? 100_000);
        delete json.minLength;
        delete json.maxLength;
        json.pattern = trimmedTextPattern(min, max);
        json.description = `Trimmed of leading and trailing whitespace, then ${min}-${max} characters.`;
      }
      if (def.type === 'object' && def.checks?.some((check) => check._zod.def.fn === changesSomething)) {
        const fields = Object.keys(def.shape ?? {}).filter((key) => key !== 'expectedVersion');
        json.anyOf = fields.map((field) => ({ required: [field] }));
      }
    },
  });
  return converted as JsonSchema;
}

/** The refinements `jsonSchemaOf` describes; a request schema with any other one is a test failure. */
export const DESCRIBED_REFINEMENTS: readonly unknown[] = [changesSomething];

/** Every refinement and overwrite inside a schema, walked through objects, unions, pipes and wrappers. */
export function refinementsIn(schema: z.core.$ZodType, found: unknown[] = []): unknown[] {
  const { def } = internals(schema);
  for (const check of def.checks ?? []) {
    if (check._zod.def.check === 'custom') found.push(check._zod.def.fn);
    if (check._zod.def.check === 'overwrite' && !trims(check)) found.push(check._zod.def.tx);
  }
  const children = [
    ...Object.values(def.shape ?? {}),
    ...((def as { options?: unknown[] }).options ?? []),
    (def as { innerType?: unknown }).innerType,
    def.type === 'pipe' ? def.in : undefined,
    (def as { element?: unknown }).element,
  ];
  for (const child of children) if (child) refinementsIn(child as z.core.$ZodType, found);
  return found;
}
