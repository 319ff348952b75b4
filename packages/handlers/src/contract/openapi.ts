import { ERROR_CODES, type ErrorCode } from '@tasktracker/core';
import packageJson from '../../package.json' with { type: 'json' };
import { API_ROUTES, type ApiRoute } from '../manifest.ts';
import { GATEWAY_ERRORS, type GatewayErrorType } from './gateway.ts';
import { type HeaderContract, REQUEST_HEADERS, RESPONSE_HEADERS } from './headers.ts';
import { type JsonSchema, jsonSchemaOf } from './json-schema.ts';
import { type MediaContract, OPERATIONS, type OperationContract } from './operations.ts';
import { CategorySchema, ErrorEnvelopeSchema, TaskSchema } from './responses.ts';

export type OpenApiDocument = JsonSchema & {
  openapi: '3.1.0';
  paths: Record<string, Record<string, JsonSchema>>;
};

const SCHEMA_REF = '#/components/schemas/';
const ref = (section: string, name: string) => ({ $ref: `#/components/${section}/${name}` });

/** A schema as the document embeds it: OpenAPI 3.1's dialect is JSON Schema 2020-12, without $schema. */
function embedded(schema: Parameters<typeof jsonSchemaOf>[0], io: 'input' | 'output'): JsonSchema {
  const { $schema: _, ...rest } = jsonSchemaOf(schema, io, 'draft-2020-12');
  return rest;
}

export const routeKey = (route: Pick<ApiRoute, 'method' | 'path'>) => `${route.method} ${route.path}`;

/** The contract of a route; every route of API_ROUTES has one (a test holds them equal). */
export function operationOf(route: Pick<ApiRoute, 'method' | 'path'>): OperationContract {
  const operation = OPERATIONS[routeKey(route)];
  if (!operation) throw new Error(`${routeKey(route)} has no entry in contract/operations.ts`);
  return operation;
}

function parametersOf(operation: OperationContract): JsonSchema[] {
  const parameters: JsonSchema[] = [];
  for (const [where, schema] of [
    ['path', operation.params],
    ['query', operation.query],
  ] as const) {
    if (!schema) continue;
    const object = embedded(schema, 'input');
    const required = new Set((object.required as string[] | undefined) ?? []);
    for (const [name, property] of Object.entries((object.properties ?? {}) as Record<string, JsonSchema>)) {
      const { description, ...propertySchema } = property;
      parameters.push({
        name,
        in: where,
        required: where === 'path' || required.has(name),
        ...(description ? { description } : {}),
        schema: propertySchema,
      });
    }
  }
  const headers: (keyof typeof REQUEST_HEADERS)[] = ['correlationId'];
  if (operation.idempotent) headers.push('idempotencyKey');
  if (operation.conditionalWrite) headers.push('ifMatch');
  if (operation.conditionalRead) headers.push('ifNoneMatch');
  return [...parameters, ...headers.map((name) => ref('parameters', name))];
}

function mediaOf(media: MediaContract): JsonSchema {
  const schema = 'json' in media.schema ? media.schema.json : embedded(media.schema, 'output');
  return { schema, ...(media.example === undefined ? {} : { example: media.example }) };
}

/** The error codes one route can answer, by status: its own, the wrapper's, and API Gateway's. */
function errorCodesOf(route: ApiRoute, operation: OperationContract): Map<number, string[]> {
  const handler: ErrorCode[] = ['VALIDATION_ERROR', 'INTERNAL_SERVER_ERROR', ...operation.errors];
  const gateway: GatewayErrorType[] = [
    'MISSING_AUTHENTICATION_TOKEN',
    'REQUEST_TOO_LARGE',
    'THROTTLED',
    'INTEGRATION_FAILURE',
    'INTEGRATION_TIMEOUT',
  ];
  if (!route.public) {
    handler.push('UNAUTHORIZED', 'SERVICE_UNAVAILABLE');
    gateway.push('INVALID_API_KEY');
  }
  const byStatus = new Map<number, string[]>();
  const add = (status: number, code: string) => {
    const codes = byStatus.get(status) ?? [];
    if (!codes.includes(code)) byStatus.set(status, [...codes, code]);
  };
  for (const code of handler) add(ERROR_CODES[code].status, code);
  for (const type of gateway) add(GATEWAY_ERRORS[type].status, type);
  return new Map([...byStatus].sort(([a], [b]) => a - b));
}

const messageOf = (code: string) =>
  ERROR_CODES[code as ErrorCode]?.message ?? GATEWAY_ERRORS[code as GatewayErrorType]?.message ?? code;
// UNAUTHORIZED is both a handler code (no identity reached it) and a gateway answer (the authorizer's,
// described by unauthorizedResponse): a handler code is described as the handler's.
const describeCode = (code: string) =>
  GATEWAY_ERRORS[code as GatewayErrorType] && !ERROR_CODES[code as ErrorCode]
    ? `\`${code}\` (API Gateway: ${GATEWAY_ERRORS[code as GatewayErrorType].when})`
    : `\`${code}\` (${messageOf(code)})`;

function errorResponse(codes: string[]): JsonSchema {
  return {
    description: codes.map(describeCode).join('; '),
    headers: { 'X-Correlation-Id': ref('headers', 'correlationId') },
    content: {
      'application/json': {
        schema: { $ref: `${SCHEMA_REF}ErrorEnvelope` },
        examples: Object.fromEntries(
          codes.map((code) => [
            code,
            { value: { error: { code, message: messageOf(code), correlationId: 'checkout-7f3a' } } },
          ]),
        ),
      },
    },
  };
}

/**
 * A 401 is the handler's UNAUTHORIZED envelope (no identity reached it), or, with AuthMode cognito or
 * both, the Cognito authorizer's own answer: API Gateway's `{"message":"Unauthorized"}` (the template's
 * UnauthorizedResponse, which adds the X-Correlation-Id).
 */
function unauthorizedResponse(codes: string[]): JsonSchema {
  const response = errorResponse(codes);
  const json = (response.content as Record<string, JsonSchema>)['application/json'] as JsonSchema;
  return {
    ...response,
    description: `${String(response.description)}; or API Gateway's \`{"message":"Unauthorized"}\` (${GATEWAY_ERRORS.UNAUTHORIZED.when})`,
    content: {
      'application/json': {
        schema: {
          anyOf: [
            { $ref: `${SCHEMA_REF}ErrorEnvelope` },
            {
              type: 'object',
              required: ['message'],
              properties: { message: { type: 'string' } },
              additionalProperties: false,
            },
          ],
        },
        examples: {
          ...(json.examples as JsonSchema),
          authorizer: { value: { message: GATEWAY_ERRORS.UNAUTHORIZED.message } },
        },
      },
    },
  };
}

function responsesOf(route: ApiRoute, operation: OperationContract): JsonSchema {
  const headers: Record<string, JsonSchema> = { 'X-Correlation-Id': ref('headers', 'correlationId') };
  if (operation.conditionalRead) {
    headers.ETag = ref('headers', 'etag');
    headers['Cache-Control'] = ref('headers', 'cacheControl');
  }
  if (operation.idempotent) headers['Idempotent-Replayed'] = ref('headers', 'replayed');
  const success: JsonSchema = {
    description: operation.success.description,
    headers,
    content: Object.fromEntries(
      Object.entries(operation.success.content).map(([type, media]) => [type, mediaOf(media)]),
    ),
  };
  if (operation.createdId) success.links = linksFrom(route, operation.createdId);
  const responses: JsonSchema = { [String(operation.success.status)]: success };
  if (operation.accepted)
    responses['202'] = {
      description: operation.accepted.description,
      headers: {
        ...headers,
        Location: { description: 'The job: GET it to follow it.', schema: { type: 'string' } },
      },
      content: Object.fromEntries(
        Object.entries(operation.accepted.content).map(([type, media]) => [type, mediaOf(media)]),
      ),
    };
  if (operation.conditionalRead)
    responses['304'] = {
      description: 'Not Modified: the If-None-Match ETag is still current. No body.',
      headers: { ETag: ref('headers', 'etag'), 'X-Correlation-Id': ref('headers', 'correlationId') },
    };
  for (const [status, codes] of errorCodesOf(route, operation))
    responses[String(status)] = status === 401 ? unauthorizedResponse(codes) : errorResponse(codes);
  return responses;
}

/** A create's answer names the new resource: links to every operation on `{path}/{id}` (stateful testers follow them). */
function linksFrom(route: ApiRoute, pointer: string): JsonSchema {
  const links: JsonSchema = {};
  for (const target of API_ROUTES.filter((other) => other.path === `${route.path}/{id}`)) {
    const { operationId } = operationOf(target);
    links[operationId] = { operationId, parameters: { id: `$response.body#${pointer}` } };
  }
  return links;
}

function operationObject(route: ApiRoute): JsonSchema {
  const operation = operationOf(route);
  const rules = operation.crossParameterRules ?? [];
  const description = [operation.description, ...rules].filter(Boolean).join('\n\n');
  return {
    operationId: operation.operationId,
    summary: operation.summary,
    ...(description ? { description } : {}),
    tags: [operation.tag],
    // Either scheme, as AuthMode both takes them (apiKey deploys check only the key, cognito only the token).
    security: route.public ? [] : [{ apiKey: [] }, { cognito: [] }],
    parameters: parametersOf(operation),
    ...(operation.body && operation.bodyModel
      ? {
          requestBody: {
            required: true,
            content: {
              'application/json': {
                schema: { $ref: `${SCHEMA_REF}${operation.bodyModel}` },
                ...(operation.bodyExample === undefined ? {} : { example: operation.bodyExample }),
              },
            },
          },
        }
      : {}),
    responses: responsesOf(route, operation),
  };
}

const headerObject = ({ description, schema, example }: HeaderContract): JsonSchema => ({
  description,
  schema,
  ...(example === undefined ? {} : { example }),
});

/**
 * The OpenAPI 3.1 document of the HTTP API: every route of API_ROUTES, its parameters and body from the
 * zod schemas that validate them, every answer with its status (successes, each error code in the
 * envelope, API Gateway's own answers), the API key, and the headers of the contract.
 */
export function buildOpenApiDocument(): OpenApiDocument {
  const paths: Record<string, Record<string, JsonSchema>> = {};
  const bodies: Record<string, JsonSchema> = {};
  for (const route of API_ROUTES) {
    const operation = operationOf(route);
    if (operation.body && operation.bodyModel)
      bodies[operation.bodyModel] = embedded(operation.body, 'input');
    paths[route.path] = { ...paths[route.path], [route.method.toLowerCase()]: operationObject(route) };
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'tasktracker API',
      version: packageJson.version,
      description:
        'Tasks and categories per caller: each API key is its own user. Every answer carries X-Correlation-Id; ' +
        'every error is `{"error": {"code", "message", "details"?, "correlationId"}}`, API Gateway\'s own included.',
    },
    servers: [{ url: './', description: 'the API that served this document (the stage path on AWS)' }],
    tags: [
      { name: 'tasks', description: 'Tasks: create, read, change, delete, list, bulk changes and export.' },
      { name: 'categories', description: 'Categories, each with the count of its tasks.' },
      { name: 'health', description: 'Liveness and readiness; no API key.' },
      { name: 'contract', description: 'This document.' },
    ],
    paths,
    components: {
      securitySchemes: {
        apiKey: {
          type: 'apiKey',
          in: 'header',
          name: 'x-api-key',
          description:
            'An API Gateway API key; each key is its own user (tt local serve takes any non-empty key). With AuthMode both it is sent beside the token and only meters the client.',
        },
        cognito: {
          type: 'http',
          scheme: 'bearer',
          bearerFormat: 'JWT',
          description:
            "An ID token of the stack's Cognito user pool (AuthMode cognito or both: `tt login`, then `tt login --print-token`); the user is its `sub`. Locally: `tt local serve --auth jwt` and `tt local token --user <id>`.",
        },
      },
      schemas: {
        Task: embedded(TaskSchema, 'output'),
        Category: embedded(CategorySchema, 'output'),
        ErrorEnvelope: embedded(ErrorEnvelopeSchema, 'output'),
        ...bodies,
      },
      parameters: Object.fromEntries(
        Object.entries(REQUEST_HEADERS).map(([key, header]) => [
          key,
          { name: header.name, in: 'header', required: false, ...headerObject(header) },
        ]),
      ),
      headers: Object.fromEntries(
        Object.entries(RESPONSE_HEADERS).map(([key, header]) => [
          key,
          { ...headerObject(header), required: key === 'correlationId' },
        ]),
      ),
    },
  };
}
