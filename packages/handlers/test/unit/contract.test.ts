import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { DESCRIBED_REFINEMENTS, refinementsIn } from '../../src/contract/json-schema.ts';
import {
  API_ROUTES,
  apiGatewayModels,
  buildOpenApiDocument,
  createRuntime,
  OPERATIONS,
  operationOf,
  type Route,
  routeKey,
} from '../../src/index.ts';
import { createCategoryRoute } from '../../src/routes/categories/create.ts';
import { deleteCategoryRoute } from '../../src/routes/categories/delete.ts';
import { getCategoryRoute } from '../../src/routes/categories/get.ts';
import { listCategoriesRoute } from '../../src/routes/categories/list.ts';
import { updateCategoryRoute } from '../../src/routes/categories/update.ts';
import { openApiRoute } from '../../src/routes/contract/openapi.ts';
import { getExportRoute } from '../../src/routes/exports/get.ts';
import { detailedHealthRoute } from '../../src/routes/health/detailed.ts';
import { healthRoute } from '../../src/routes/health/health.ts';
import { bulkTasksRoute } from '../../src/routes/tasks/bulk.ts';
import { createTaskRoute } from '../../src/routes/tasks/create.ts';
import { deleteTaskRoute } from '../../src/routes/tasks/delete.ts';
import { exportTasksRoute } from '../../src/routes/tasks/export.ts';
import { getTaskRoute } from '../../src/routes/tasks/get.ts';
import { listTasksRoute } from '../../src/routes/tasks/list.ts';
import { updateTaskRoute } from '../../src/routes/tasks/update.ts';

const DOCUMENT_FILE = fileURLToPath(new URL('../../../../docs/openapi.json', import.meta.url));

/** Every route as its Lambda builds it (no call is made: building a route does no I/O). */
function builtRoutes(): Record<string, Route<unknown, unknown, unknown>> {
  const runtime = createRuntime({ env: { STAGE: 'dev', AWS_REGION: 'us-east-1' } });
  const publish = async () => ({ url: 'https://example.invalid/export', bytes: 0, parts: 1 });
  const invoke = async () => undefined;
  const routes = [
    createTaskRoute(runtime),
    listTasksRoute(runtime),
    getTaskRoute(runtime),
    updateTaskRoute(runtime),
    deleteTaskRoute(runtime),
    bulkTasksRoute(runtime),
    exportTasksRoute(runtime, publish, invoke),
    getExportRoute(runtime),
    listCategoriesRoute(runtime),
    createCategoryRoute(runtime),
    getCategoryRoute(runtime),
    updateCategoryRoute(runtime),
    deleteCategoryRoute(runtime),
    healthRoute(runtime),
    detailedHealthRoute(runtime, runtime.dynamo),
    openApiRoute(),
  ] as Route<unknown, unknown, unknown>[];
  return Object.fromEntries(routes.map((route) => [route.name, route]));
}

describe('the contract: one description per route, from the schemas that validate', () => {
  it('describes exactly the routes of API_ROUTES', () => {
    expect(Object.keys(OPERATIONS).sort()).toEqual(API_ROUTES.map(routeKey).sort());
  });

  it('holds the very schemas each route validates with, and its idempotency', () => {
    const built = builtRoutes();
    for (const route of API_ROUTES) {
      const key = routeKey(route);
      const handler = built[key];
      const operation = operationOf(route);
      expect(handler, key).toBeDefined();
      expect(handler?.body, `${key} body`).toBe(operation.body);
      expect(handler?.query, `${key} query`).toBe(operation.query);
      expect(handler?.params, `${key} params`).toBe(operation.params);
      expect(Boolean(handler?.idempotent), `${key} idempotent`).toBe(Boolean(operation.idempotent));
      expect(Boolean(handler?.public), `${key} public`).toBe(Boolean(route.public));
    }
  });

  it('can say every rule of a request body; rules across query parameters are written out', () => {
    for (const route of API_ROUTES) {
      const operation = operationOf(route);
      if (operation.body) {
        const unknown = refinementsIn(operation.body).filter((rule) => !DESCRIBED_REFINEMENTS.includes(rule));
        expect(unknown, `${routeKey(route)}: a body refinement the document cannot say`).toEqual([]);
      }
      for (const schema of [operation.query, operation.params]) {
        if (schema && refinementsIn(schema).length > 0)
          expect(
            operation.crossParameterRules?.length,
            `${routeKey(route)}: a query rule unsaid`,
          ).toBeGreaterThan(0);
      }
    }
  });

  it('keeps docs/openapi.json equal to the generated document (pnpm run contract rewrites it)', () => {
    const committed = JSON.parse(readFileSync(DOCUMENT_FILE, 'utf8')) as unknown;
    expect(committed).toEqual(buildOpenApiDocument());
  });

  it('documents, for every operation, each status its error codes have and X-Correlation-Id on every answer', () => {
    const document = buildOpenApiDocument();
    for (const route of API_ROUTES) {
      const responses = document.paths[route.path]?.[route.method.toLowerCase()]?.responses as Record<
        string,
        { headers?: Record<string, unknown> }
      >;
      expect(Object.keys(responses), routeKey(route)).toEqual(
        expect.arrayContaining(['400', '403', '413', '429', '500', '502', '504']),
      );
      for (const [status, response] of Object.entries(responses))
        expect(response.headers?.['X-Correlation-Id'], `${routeKey(route)} ${status}`).toBeDefined();
    }
  });

  it('lets every guarded operation take the API key or a Cognito bearer JWT, and says what a 401 looks like', () => {
    const document = buildOpenApiDocument();
    const schemes = (document.components as { securitySchemes: Record<string, unknown> }).securitySchemes;
    expect(schemes.cognito).toMatchObject({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT' });
    for (const route of API_ROUTES) {
      const operation = document.paths[route.path]?.[route.method.toLowerCase()] as {
        security: unknown[];
        responses: Record<string, { content: { 'application/json': { schema: { anyOf?: unknown[] } } } }>;
      };
      expect(operation.security, routeKey(route)).toEqual(
        route.public ? [] : [{ apiKey: [] }, { cognito: [] }],
      );
      if (!route.public)
        expect(
          operation.responses['401']?.content['application/json'].schema.anyOf,
          routeKey(route),
        ).toHaveLength(2);
    }
  });

  it('generates one API Gateway model per request body, draft 4, titled by its name', () => {
    const models = apiGatewayModels();
    expect(models.map((model) => model.name).sort()).toEqual([
      'BulkTasksRequest',
      'CreateCategoryInput',
      'CreateTaskInput',
      'UpdateCategoryInput',
      'UpdateTaskInput',
    ]);
    for (const model of models) {
      expect(model.schema.$schema).toBe('http://json-schema.org/draft-04/schema#');
      expect(JSON.stringify(model.schema)).not.toMatch(/"(format|default|\$ref|const)"/);
    }
  });
});
