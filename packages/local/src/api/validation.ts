import ajvDraft04, { type ValidateFunction } from 'ajv-draft-04';
import type { GatewayAnswer } from './gateway.ts';
import type { TemplateRoute } from './template.ts';

// A CommonJS module: its class is module.exports, and module.exports.default as the types see it.
const Ajv = ajvDraft04.default;

/**
 * API Gateway's request validation, from the template: required parameters present and not empty, and
 * an application/json body valid against the method's model (JSON Schema draft 4). API Gateway applies
 * a model only to a body of its content type; a request without one is taken as application/json.
 */
export interface RequestFacts {
  url: URL;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
  pathParameters: Record<string, string> | null;
}

const ajv = new Ajv({ allErrors: false, strict: false });
const compiled = new WeakMap<object, ValidateFunction>();
function validatorOf(model: Record<string, unknown>): ValidateFunction {
  const known = compiled.get(model);
  if (known) return known;
  const validate = ajv.compile(model);
  compiled.set(model, validate);
  return validate;
}

function mediaType(headers: RequestFacts['headers']): string {
  const value = headers['content-type'];
  const text = Array.isArray(value) ? value[0] : value;
  return (text ?? 'application/json').split(';')[0]?.trim().toLowerCase() ?? '';
}

function present(name: string, request: RequestFacts): boolean {
  const [, , where, key] = name.split('.', 4) as [string, string, string, string];
  const value =
    where === 'path'
      ? request.pathParameters?.[key]
      : where === 'querystring'
        ? request.url.searchParams.get(key)
        : where === 'header'
          ? request.headers[key.toLowerCase()]
          : undefined;
  return typeof value === 'string' ? value.length > 0 : Array.isArray(value) && value.length > 0;
}

/** The answer API Gateway gives a request its validator refuses, or undefined to let it through. */
export function refuseInvalidRequest(route: TemplateRoute, request: RequestFacts): GatewayAnswer | undefined {
  if (route.validates.parameters) {
    const missing = route.requiredParameters.filter((name) => !present(name, request));
    if (missing.length > 0)
      return {
        type: 'BAD_REQUEST_PARAMETERS',
        message: `Missing required request parameters: [${missing.map((name) => name.split('.').at(-1)).join(', ')}]`,
      };
  }
  if (route.validates.body && route.bodyModel && mediaType(request.headers) === 'application/json') {
    let body: unknown;
    try {
      body = JSON.parse(request.body.toString('utf8'));
    } catch {
      return { type: 'BAD_REQUEST_BODY' };
    }
    if (!validatorOf(route.bodyModel)(body)) return { type: 'BAD_REQUEST_BODY' };
  }
  return undefined;
}
