import { createApiHandler, createRuntime, type Route } from '@tasktracker/handlers';
import { createTestTables, type TestTables } from '@tasktracker/local/testing';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createCategoryRoute } from '../../packages/handlers/src/routes/categories/create.ts';
import { deleteCategoryRoute } from '../../packages/handlers/src/routes/categories/delete.ts';
import { getCategoryRoute } from '../../packages/handlers/src/routes/categories/get.ts';
import { listCategoriesRoute } from '../../packages/handlers/src/routes/categories/list.ts';
import { updateCategoryRoute } from '../../packages/handlers/src/routes/categories/update.ts';
import { preflightRoute } from '../../packages/handlers/src/routes/cors/preflight.ts';
import { getExportRoute } from '../../packages/handlers/src/routes/exports/get.ts';
import { detailedHealthRoute } from '../../packages/handlers/src/routes/health/detailed.ts';
import { healthRoute } from '../../packages/handlers/src/routes/health/health.ts';
import { bulkTasksRoute } from '../../packages/handlers/src/routes/tasks/bulk.ts';
import { createTaskRoute } from '../../packages/handlers/src/routes/tasks/create.ts';
import { deleteTaskRoute } from '../../packages/handlers/src/routes/tasks/delete.ts';
import { exportTasksRoute } from '../../packages/handlers/src/routes/tasks/export.ts';
import { getTaskRoute } from '../../packages/handlers/src/routes/tasks/get.ts';
import { listTasksRoute } from '../../packages/handlers/src/routes/tasks/list.ts';
import { updateTaskRoute } from '../../packages/handlers/src/routes/tasks/update.ts';
import { apiEvent, type EventOptions, lambdaContext } from '../../packages/handlers/test/support/events.ts';
import { leaked, makeSecrets, secretBodies, secretHeaders, secretQuery } from '../support/secrets.ts';
import { noEngine, useServe } from '../support/serve.ts';

const endpoint = inject('dynamoEndpoint');
const secrets = makeSecrets();
const TASK_ID = '01J00000000000000000000000';
const CATEGORY_ID = '01J00000000000000000000001';

/** Every API route, with a body it accepts where it takes one. */
const ROUTES = [
  { method: 'POST', resource: '/tasks', body: { title: 'visible-title' } },
  { method: 'GET', resource: '/tasks' },
  { method: 'GET', resource: '/tasks/{id}', id: TASK_ID },
  { method: 'PUT', resource: '/tasks/{id}', id: TASK_ID, body: { title: 'visible-title' } },
  { method: 'DELETE', resource: '/tasks/{id}', id: TASK_ID },
  { method: 'POST', resource: '/tasks/bulk', body: { action: 'complete', ids: [TASK_ID] } },
  { method: 'GET', resource: '/tasks/export' },
  { method: 'GET', resource: '/categories' },
  { method: 'POST', resource: '/categories', body: { name: 'visible-name' } },
  { method: 'GET', resource: '/categories/{id}', id: CATEGORY_ID },
  { method: 'PUT', resource: '/categories/{id}', id: CATEGORY_ID, body: { name: 'visible-name' } },
  { method: 'DELETE', resource: '/categories/{id}', id: CATEGORY_ID },
  { method: 'GET', resource: '/health' },
  { method: 'GET', resource: '/health/detailed' },
  { method: 'OPTIONS', resource: '/tasks' },
] as const;

/** The requests sent to each route: secrets in headers, in the query, and in every kind of body. */
function attacksOn(route: (typeof ROUTES)[number]): EventOptions[] {
  const base = {
    method: route.method,
    resource: route.resource,
    ...('id' in route ? { pathParameters: { id: route.id } } : {}),
    headers: { ...secretHeaders(secrets), Origin: 'http://localhost:3000' },
  };
  const valid = 'body' in route ? { body: route.body } : {};
  return [
    { ...base, ...valid },
    { ...base, ...valid, query: secretQuery(secrets) },
    ...('body' in route
      ? [
          ...secretBodies(secrets).map((body) => ({ ...base, body })),
          { ...base, body: { ...route.body, token: secrets.bodyToken } },
          { ...base, rawBody: `{"token":"${secrets.bodyToken}",` },
        ]
      : []),
  ];
}

describe.skipIf(noEngine)('no secret reaches a log line: the handlers in process', () => {
  let tables: TestTables;
  beforeAll(async () => {
    tables = await createTestTables(endpoint);
  });
  afterAll(() => tables?.drop());

  it.each(['debug', 'trace'] as const)('at LOG_LEVEL=%s, through every route', async (level) => {
    const output: string[] = [];
    // One client for both levels, as a library user shares one: a second debug context on a client
    // used to throw "Duplicate middleware name" (fixed in core's context).
    const dynamo = tables.client;
    const runtime = createRuntime({
      env: {
        STAGE: 'dev',
        LOG_LEVEL: level,
        AWS_REGION: 'us-east-1',
        ALLOWED_ORIGINS: 'http://localhost:3000',
        TASKS_TABLE: tables.tables.tasks,
        CATEGORIES_TABLE: tables.tables.categories,
        IDEMPOTENCY_TABLE: tables.tables.idempotency,
        INVOCATION_LOG_TABLE: tables.tables.invocationLog,
      },
      dynamo,
      logDestination: { write: (line: string) => output.push(line) },
      writeMetrics: (line) => output.push(line),
    });
    // Exports in this test fit in the response; a large one would need the bucket.
    const publish = async () => ({ url: 'https://bucket.invalid/export', bytes: 0, parts: 1 });
    const invoke = async () => undefined;
    const built: Record<string, Route<unknown, unknown, unknown>> = {
      'POST /tasks': createTaskRoute(runtime),
      'GET /tasks': listTasksRoute(runtime),
      'GET /tasks/{id}': getTaskRoute(runtime),
      'PUT /tasks/{id}': updateTaskRoute(runtime),
      'DELETE /tasks/{id}': deleteTaskRoute(runtime),
      'POST /tasks/bulk': bulkTasksRoute(runtime),
      'GET /tasks/export': exportTasksRoute(runtime, publish, invoke),
      'GET /exports/{id}': getExportRoute(runtime),
      'GET /categories': listCategoriesRoute(runtime),
      'POST /categories': createCategoryRoute(runtime),
      'GET /categories/{id}': getCategoryRoute(runtime),
      'PUT /categories/{id}': updateCategoryRoute(runtime),
      'DELETE /categories/{id}': deleteCategoryRoute(runtime),
      'GET /health': healthRoute(runtime),
      'GET /health/detailed': detailedHealthRoute(runtime, dynamo),
      'OPTIONS /tasks': preflightRoute(runtime),
    };
    const statuses: number[] = [];
    for (const route of ROUTES) {
      const handler = createApiHandler(built[`${route.method} ${route.resource}`]!, runtime);
      for (const attack of attacksOn(route)) {
        const event = apiEvent(attack);
        // API Gateway passes the key itself in the identity block too; a handler must not log it.
        event.requestContext.identity.apiKey = secrets.apiKey;
        statuses.push((await handler(event, lambdaContext())).statusCode);
      }
    }
    const text = output.join('\n');
    // The run did log, at the level asked for, and logged bodies: a silent logger would pass vacuously.
    expect(statuses.some((status) => status < 300)).toBe(true);
    expect(output.length).toBeGreaterThan(statuses.length * 2);
    expect(text).toContain('"level":"debug"');
    expect(text).toContain('"msg":"request body"');
    expect(text).toContain('visible-title');
    expect(leaked(secrets, text)).toEqual([]);
    console.log(
      `log-secrets in process (${level}): ${statuses.length} requests, ${output.length} lines, 0 leaks`,
    );
  });
});

describe.skipIf(noEngine)('no secret reaches a log line: tt local serve at LOG_LEVEL=trace', () => {
  const served = useServe({ LOG_LEVEL: 'trace' });

  it('keeps every secret out of stdout and stderr, through every route', async () => {
    let requests = 0;
    for (const route of ROUTES) {
      for (const attack of attacksOn(route)) {
        const path = route.resource.replace('{id}', 'id' in route ? route.id : '');
        const query = attack.query ? `?${new URLSearchParams(attack.query)}` : '';
        const body = attack.rawBody ?? (attack.body === undefined ? undefined : JSON.stringify(attack.body));
        const reply = await served.call(`${path}${query}`, {
          method: route.method,
          headers: attack.headers,
          ...(body !== undefined ? { body } : {}),
        });
        expect(reply.status).toBeLessThan(500);
        requests++;
      }
    }
    // Lines arrive through pipes: wait until the last request's access line is in.
    for (
      let attempt = 0;
      attempt < 50 && served.output.filter((l) => l.includes('local api request')).length < requests;
      attempt++
    )
      await new Promise((resolve) => setTimeout(resolve, 100));
    const text = served.output.join('\n');
    expect(served.output.filter((line) => line.includes('"msg":"local api request"')).length).toBe(requests);
    expect(text).toContain('"msg":"request body"');
    expect(text).toContain('visible-title');
    expect(leaked(secrets, text)).toEqual([]);
    console.log(
      `log-secrets via tt local serve (trace): ${requests} requests, ${served.output.length} lines, 0 leaks`,
    );
  });
});
