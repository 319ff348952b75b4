import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type Handler, invoke } from '../support/events.ts';
import { ROUTE_MODULES, type RouteModuleName } from '../support/modules.ts';
import { noEngine, useHandlers } from '../support/stack.ts';

const ROUTES: { module: RouteModuleName; method: string; resource: string }[] = [
  { module: 'tasks/create', method: 'POST', resource: '/tasks' },
  { module: 'tasks/list', method: 'GET', resource: '/tasks' },
  { module: 'tasks/get', method: 'GET', resource: '/tasks/{id}' },
  { module: 'tasks/update', method: 'PUT', resource: '/tasks/{id}' },
  { module: 'tasks/delete', method: 'DELETE', resource: '/tasks/{id}' },
  { module: 'tasks/bulk', method: 'POST', resource: '/tasks/bulk' },
  { module: 'tasks/export', method: 'GET', resource: '/tasks/export' },
  { module: 'categories/list', method: 'GET', resource: '/categories' },
  { module: 'categories/create', method: 'POST', resource: '/categories' },
  { module: 'categories/get', method: 'GET', resource: '/categories/{id}' },
  { module: 'categories/update', method: 'PUT', resource: '/categories/{id}' },
  { module: 'categories/delete', method: 'DELETE', resource: '/categories/{id}' },
  { module: 'health/health', method: 'GET', resource: '/health' },
  { module: 'cors/preflight', method: 'OPTIONS', resource: '/tasks' },
];

const api = useHandlers(
  Object.keys(ROUTE_MODULES).filter((name) => name !== 'health/detailed') as RouteModuleName[],
);

/** Field names and values the schemas know, mixed with noise, so the fuzz reaches past the first check. */
const knownKey = fc.constantFrom(
  'title',
  'description',
  'priority',
  'completed',
  'categoryId',
  'dueDate',
  'expectedVersion',
  'name',
  'color',
  'icon',
  'action',
  'ids',
  'status',
  'sort',
  'order',
  'limit',
  'cursor',
  'q',
  'category',
  'format',
  'dueBefore',
  'createdAfter',
  'reassignTo',
  'uncategorize',
  '__proto__',
  'constructor',
);
const knownValue = fc.constantFrom(
  'high',
  'open',
  'completed',
  'dueDate',
  'priority',
  'asc',
  'csv',
  'jsonl',
  'move',
  'delete',
  'complete',
  'true',
  '2026-12-01',
  '2026-02-30',
  '01JZZZZZZZZZZZZZZZZZZZZZZZ',
  '#1E90FF',
  '-1',
  '0',
  '1e400',
  'NaN',
  '',
);
const text = fc.oneof(fc.string({ maxLength: 40 }), knownValue, fc.string({ unit: 'binary', maxLength: 20 }));
const jsonValue = fc.oneof(
  { maxDepth: 2 },
  fc.jsonValue({ maxDepth: 2 }),
  fc.dictionary(
    knownKey,
    fc.oneof(text, fc.integer(), fc.boolean(), fc.constant(null), fc.array(text, { maxLength: 3 })),
  ),
);
const body = fc.oneof(
  fc.constant(undefined),
  jsonValue.map((value) => JSON.stringify(value)),
  fc.string({ maxLength: 60 }),
  fc.string({ unit: 'binary', maxLength: 60 }),
);

describe.skipIf(noEngine)('fuzzed requests', () => {
  it('never answer 5xx nor outside the envelope, whatever the path, query and body', async () => {
    const statuses = new Map<number, number>();
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...ROUTES),
        fc.oneof(text, fc.constant('01JZZZZZZZZZZZZZZZZZZZZZZZ')),
        fc.option(fc.dictionary(fc.oneof(knownKey, fc.string({ maxLength: 10 })), text), { nil: undefined }),
        body,
        fc.boolean(),
        fc.option(text, { nil: undefined }),
        async (route, id, query, rawBody, base64, idempotencyKey) => {
          const handler: Handler = api.handlers[route.module];
          const reply = await invoke(handler, {
            method: route.method,
            resource: route.resource,
            pathParameters: { id },
            ...(query ? { query } : {}),
            ...(rawBody === undefined
              ? {}
              : { rawBody: base64 ? Buffer.from(rawBody).toString('base64') : rawBody }),
            isBase64Encoded: base64 && rawBody !== undefined,
            headers:
              idempotencyKey === undefined
                ? {}
                : { 'Idempotency-Key': idempotencyKey, 'If-Match': idempotencyKey },
          });
          statuses.set(reply.status, (statuses.get(reply.status) ?? 0) + 1);
          expect(reply.status, reply.body).toBeLessThan(500);
          expect(reply.headers['X-Correlation-Id']).toBeTruthy();
          if (reply.status >= 400) {
            expect(Object.keys(reply.json)).toEqual(['error']);
            expect(reply.json.error).toMatchObject({ code: expect.any(String), message: expect.any(String) });
            expect(reply.json.error.correlationId).toBe(reply.headers['X-Correlation-Id']);
          } else if (reply.headers['Content-Type']?.startsWith('application/json')) {
            expect(reply.json).toHaveProperty('data');
          }
        },
      ),
      { numRuns: 400 },
    );
    // The fuzz must reach the business calls too, not only bounce off validation.
    expect(statuses.get(200) ?? 0).toBeGreaterThan(10);
    expect([...statuses.keys()]).toEqual(expect.arrayContaining([400, 404]));
  }, 120_000);
});
