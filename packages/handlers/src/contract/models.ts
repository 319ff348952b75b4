import { API_ROUTES } from '../manifest.ts';
import { type JsonSchema, jsonSchemaOf } from './json-schema.ts';
import { operationOf, routeKey } from './openapi.ts';

/**
 * The JSON Schema draft 4 keywords an API Gateway model may use here: validation keywords API Gateway's
 * validator applies, and the annotations it ignores. Anything else in a generated model is an error,
 * so a new zod feature cannot slip a keyword into the template that the edge would not enforce.
 */
const MODEL_KEYWORDS = new Set([
  '$schema',
  'title',
  'description',
  'type',
  'properties',
  'required',
  'additionalProperties',
  'items',
  'minItems',
  'maxItems',
  'minLength',
  'maxLength',
  'pattern',
  'enum',
  'minimum',
  'maximum',
  'anyOf',
  'oneOf',
]);
/**
 * Dropped on purpose: `default` is an annotation (the Lambda applies defaults), and `format` is not
 * enforced the same way everywhere (draft 4 has no `date`); the pattern beside it carries the rule.
 */
const DROPPED_KEYWORDS = new Set(['default', 'format']);
/** Keywords whose value is a map of names to schemas, not a schema. */
const SCHEMA_MAPS = new Set(['properties']);
const SCHEMA_LISTS = new Set(['anyOf', 'oneOf']);

function restricted(schema: JsonSchema, where: string): JsonSchema {
  const out: JsonSchema = {};
  for (const [keyword, value] of Object.entries(schema)) {
    if (DROPPED_KEYWORDS.has(keyword)) continue;
    if (!MODEL_KEYWORDS.has(keyword))
      throw new Error(`${where}: keyword ${keyword} has no place in an API Gateway model`);
    if (SCHEMA_MAPS.has(keyword))
      out[keyword] = Object.fromEntries(
        Object.entries(value as Record<string, JsonSchema>).map(([name, inner]) => [
          name,
          restricted(inner, `${where}.${name}`),
        ]),
      );
    else if (SCHEMA_LISTS.has(keyword))
      out[keyword] = (value as JsonSchema[]).map((inner, index) =>
        restricted(inner, `${where}/${keyword}/${index}`),
      );
    else if (keyword === 'items' || (keyword === 'additionalProperties' && typeof value === 'object'))
      out[keyword] = restricted(value as JsonSchema, `${where}/${keyword}`);
    else out[keyword] = value;
  }
  return out;
}

export interface ApiGatewayModel {
  /** The model's Name, also the OpenAPI component schema's name. */
  name: string;
  /** `${method} ${path}` of every route whose body it validates. */
  routes: string[];
  schema: JsonSchema;
}

/** One API Gateway model per request body, generated from the zod schema the Lambda validates with. */
export function apiGatewayModels(): ApiGatewayModel[] {
  const models = new Map<string, ApiGatewayModel>();
  for (const route of API_ROUTES) {
    const operation = operationOf(route);
    if (!operation.body) continue;
    if (!operation.bodyModel) throw new Error(`${routeKey(route)} has a body but no bodyModel name`);
    const existing = models.get(operation.bodyModel);
    if (existing) {
      existing.routes.push(routeKey(route));
      continue;
    }
    const schema = restricted(jsonSchemaOf(operation.body, 'input', 'draft-04'), operation.bodyModel);
    models.set(operation.bodyModel, {
      name: operation.bodyModel,
      routes: [routeKey(route)],
      schema: { ...schema, title: operation.bodyModel },
    });
  }
  return [...models.values()];
}

/** The logical id of a model's AWS::ApiGateway::Model resource in the template. */
export const modelResourceId = (name: string) => `${name}Model`;
