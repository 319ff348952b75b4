import fc from 'fast-check';

/** One generated HTTP request, labelled with the API route it aims at. */
export interface FuzzRequest {
  route: string;
  method: string;
  path: string;
  headers: Record<string, string>;
  body: string | Buffer | undefined;
}

/** Ids that exist (so requests reach DynamoDB, not only validation) and the keys of their owners. */
export interface FuzzSeeds {
  taskIds: string[];
  categoryIds: string[];
  apiKeys: string[];
}

const PRINTABLE = fc.constantFrom(...Array.from({ length: 95 }, (_, code) => String.fromCharCode(code + 32)));
/** Header values a client can send: printable ASCII (fetch refuses control characters, as do proxies). */
const headerValue = fc.oneof(
  fc.string({ unit: PRINTABLE, maxLength: 40 }),
  fc.string({ unit: PRINTABLE, minLength: 129, maxLength: 300 }),
);
const CROCKFORD = fc.constantFrom(...'0123456789ABCDEFGHJKMNPQRSTVWXYZ');
const ulid = fc.string({ unit: CROCKFORD, minLength: 26, maxLength: 26 });
const POLLUTION = ['__proto__', 'constructor', 'prototype'];

function idOf(existing: string[]) {
  return fc.oneof(
    { weight: 4, arbitrary: fc.constantFrom(...existing) },
    { weight: 2, arbitrary: ulid },
    { weight: 2, arbitrary: fc.string({ maxLength: 40 }).map(encodeURIComponent) },
    { weight: 1, arbitrary: fc.string({ unit: CROCKFORD, minLength: 129, maxLength: 200 }) },
    {
      weight: 2,
      arbitrary: fc.constantFrom(
        ...POLLUTION,
        '%00',
        '%2F',
        '%E0%A4%A',
        '%FF',
        'bulk',
        'export',
        '..%2F..%2Fetc',
        '1e9999',
        '-1',
        'null',
      ),
    },
  );
}

/** Any JSON value, including the ones that break naive code: huge numbers, odd strings, nulls. */
const value = fc.oneof(
  { weight: 3, arbitrary: fc.jsonValue({ maxDepth: 3 }) },
  {
    weight: 1,
    arbitrary: fc.constantFrom('high', 'low', 'medium', '2026-12-01', '2026-13-45', '', '   ', 1e308, -0),
  },
);

/** A JSON object written by hand, so prototype-polluting keys are own keys of the text, as an attacker sends them. */
function objectText(fields: string[]) {
  return fc
    .array(
      fc.tuple(fc.oneof(fc.constantFrom(...fields, ...POLLUTION), fc.string({ maxLength: 12 })), value),
      {
        maxLength: 6,
      },
    )
    .map(
      (entries) =>
        `{${entries.map(([key, item]) => `${JSON.stringify(key)}:${JSON.stringify(item)}`).join(',')}}`,
    );
}

/** Deeply nested JSON: arrays and objects, from a depth naive recursion survives to one it does not. */
const NESTED = [1_000, 20_000].flatMap((depth) => [
  '['.repeat(depth) + ']'.repeat(depth),
  `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`,
]);
const OVER_ONE_MB = JSON.stringify({ title: 'x'.repeat(1_100_000) });

/**
 * Bodies too costly to generate thousands of times, sent a fixed number of times to every route that
 * takes a body: over 1 MB, over API Gateway's 10 MB, and nested 300,000 deep.
 */
export const EXTREME_BODIES: (string | Buffer)[] = [
  OVER_ONE_MB,
  Buffer.alloc(10 * 1024 * 1024 + 1, 0x20),
  '['.repeat(300_000) + ']'.repeat(300_000),
  `${'{"title":'.repeat(300_000)}1${'}'.repeat(300_000)}`,
];

const FIELDS = {
  task: ['title', 'description', 'completed', 'priority', 'categoryId', 'dueDate', 'expectedVersion'],
  category: ['name', 'color', 'icon', 'expectedVersion'],
  bulk: ['action', 'ids', 'categoryId'],
};

function bodies(kind: keyof typeof FIELDS, seeds: FuzzSeeds) {
  const bulk = fc
    .record({
      action: fc.oneof(fc.constantFrom('complete', 'reopen', 'delete', 'move'), value),
      ids: fc.oneof(
        fc.array(idOf(seeds.taskIds), { minLength: 1, maxLength: 20 }),
        fc.constant(Array.from({ length: 1001 }, (_, index) => `id${index}`)),
        value,
      ),
      categoryId: fc.oneof(idOf(seeds.categoryIds), fc.constant(null)),
    })
    .map((body) => JSON.stringify(body));
  const valid =
    kind === 'task'
      ? fc.record({ title: fc.string({ minLength: 1, maxLength: 60 }) }).map((body) => JSON.stringify(body))
      : kind === 'category'
        ? fc.record({ name: fc.string({ minLength: 1, maxLength: 30 }) }).map((body) => JSON.stringify(body))
        : bulk;
  return fc.oneof<fc.WeightedArbitrary<string | Buffer | undefined>[]>(
    { weight: 60, arbitrary: valid },
    { weight: 60, arbitrary: objectText(FIELDS[kind]) },
    { weight: 30, arbitrary: fc.jsonValue({ maxDepth: 4 }).map((item) => JSON.stringify(item)) },
    {
      weight: 20,
      arbitrary: fc.constantFrom(
        '{"__proto__":{"polluted":true},"title":"p"}',
        '{"constructor":{"prototype":{"polluted":true}},"name":"p"}',
        '{"title":"p","__proto__":{"toString":1}}',
        '{"action":"delete","ids":["x"],"__proto__":{"isAdmin":true}}',
      ),
    },
    { weight: 20, arbitrary: fc.string({ maxLength: 60 }) },
    {
      weight: 20,
      arbitrary: fc.uint8Array({ maxLength: 64 }).map((bytes) => Buffer.from([0xff, 0xc3, 0x28, ...bytes])),
    },
    { weight: 5, arbitrary: fc.constantFrom(...NESTED) },
    // Just over the handlers' 1 MB body limit (API Gateway's 10 MB is among EXTREME_BODIES).
    { weight: 1, arbitrary: fc.constant(OVER_ONE_MB) },
    { weight: 20, arbitrary: fc.constant(undefined) },
  );
}

const QUERY_NAMES = [
  'status',
  'priority',
  'limit',
  'cursor',
  'sort',
  'order',
  'q',
  'category',
  'format',
  'dueBefore',
  'dueAfter',
  'createdBefore',
  'createdAfter',
  'expectedVersion',
  'reassignTo',
  'uncategorize',
  ...POLLUTION,
];
const queryValue = fc.oneof(
  fc.constantFrom(
    'open',
    'completed',
    'high',
    'csv',
    'jsonl',
    'dueDate',
    'asc',
    '0',
    '101',
    '-1',
    'true',
    'NaN',
  ),
  fc.constantFrom('2026-12-01', '2026-11-30T00:00:00Z', 'eyJ4IjoxfQ', '%', '%E0%A4%A'),
  fc.string({ maxLength: 30 }),
  fc.constant('c'.repeat(2049)),
);
const query = fc.oneof(
  { weight: 2, arbitrary: fc.constant('') },
  {
    weight: 4,
    arbitrary: fc
      .array(fc.tuple(fc.oneof(fc.constantFrom(...QUERY_NAMES), fc.string({ maxLength: 8 })), queryValue), {
        maxLength: 4,
      })
      .map((pairs) => (pairs.length === 0 ? '' : `?${new URLSearchParams(pairs)}`)),
  },
  { weight: 1, arbitrary: fc.constantFrom('?%', '?a=%ZZ&b', '?limit=5&limit=6', '?cursor=%00%00', '?&&&=') },
);

function headers(seeds: FuzzSeeds) {
  const optional = (arbitrary: fc.Arbitrary<string>) => fc.option(arbitrary, { nil: undefined, freq: 2 });
  return fc
    .record({
      'x-api-key': fc.oneof(
        { weight: 8, arbitrary: fc.constantFrom(...seeds.apiKeys) },
        { weight: 1, arbitrary: fc.constant('') },
        { weight: 1, arbitrary: headerValue },
      ),
      'idempotency-key': optional(fc.oneof(fc.uuid(), headerValue)),
      'if-match': optional(fc.oneof(fc.constantFrom('"1"', 'W/"2"', '*', '0', '"999999999"'), headerValue)),
      // `*` matches any current representation: a GET of an existing item or a list answers 304.
      'if-none-match': optional(fc.oneof(fc.constantFrom('*', 'W/"x"', '"a", "b"'), headerValue)),
      origin: optional(
        fc.oneof(fc.constantFrom('http://localhost:3000', 'https://evil.example', 'null'), headerValue),
      ),
      'x-correlation-id': optional(headerValue),
      'content-type': optional(
        fc.constantFrom('application/json', 'text/plain', 'application/octet-stream', 'multipart/form-data'),
      ),
      'access-control-request-method': optional(fc.constantFrom('POST', 'DELETE', 'TRACE')),
    })
    .map(
      (all) =>
        Object.fromEntries(Object.entries(all).filter(([, item]) => item !== undefined)) as Record<
          string,
          string
        >,
    );
}

/** The API's routes; every request aims at one of them, or at a random path. */
export const ROUTES = [
  'POST /tasks',
  'GET /tasks',
  'GET /tasks/{id}',
  'PUT /tasks/{id}',
  'DELETE /tasks/{id}',
  'POST /tasks/bulk',
  'GET /tasks/export',
  'GET /exports/{id}',
  'GET /categories',
  'POST /categories',
  'GET /categories/{id}',
  'PUT /categories/{id}',
  'DELETE /categories/{id}',
  'GET /health',
  'GET /health/detailed',
  'GET /openapi.json',
  'OPTIONS',
  'random path',
] as const;

const METHODS = fc.constantFrom('GET', 'POST', 'PUT', 'DELETE', 'OPTIONS', 'PATCH');
const RESOURCES = [
  '/tasks',
  '/tasks/{id}',
  '/tasks/bulk',
  '/tasks/export',
  '/exports/{id}',
  '/categories',
  '/categories/{id}',
  '/health',
  '/health/detailed',
  '/openapi.json',
];

interface Target {
  route: string;
  method: string;
  path: string;
  kind: keyof typeof FIELDS;
}

export function requests(seeds: FuzzSeeds): fc.Arbitrary<FuzzRequest> {
  const taskId = idOf(seeds.taskIds);
  const categoryId = idOf(seeds.categoryIds);
  const target = fc.constantFrom(...ROUTES).chain((route): fc.Arbitrary<Target> => {
    if (route === 'random path') {
      return fc.record({
        route: fc.constant(route),
        method: METHODS,
        path: fc
          .array(
            fc.oneof(
              fc.constantFrom('tasks', 'categories', 'health', '', '..', 'bulk'),
              fc.string({ maxLength: 10 }).map(encodeURIComponent),
            ),
            {
              maxLength: 4,
            },
          )
          .map((segments) => `/${segments.join('/')}`),
        kind: fc.constantFrom('task' as const, 'category' as const, 'bulk' as const),
      });
    }
    if (route === 'OPTIONS') {
      return fc.record({
        route: fc.constant(route),
        method: fc.constant('OPTIONS'),
        path: fc
          .constantFrom(...RESOURCES)
          .chain((resource) => taskId.map((id) => resource.replace('{id}', id))),
        kind: fc.constant('task' as const),
      });
    }
    const [method, resource] = route.split(' ') as [string, string];
    const id = resource.startsWith('/categories') ? categoryId : taskId;
    const kind =
      resource === '/tasks/bulk'
        ? ('bulk' as const)
        : resource.startsWith('/categories')
          ? ('category' as const)
          : ('task' as const);
    return fc.record({
      route: fc.constant(route),
      method: fc.constant(method),
      path: id.map((value) => resource.replace('{id}', value)),
      kind: fc.constant(kind),
    });
  });
  return target.chain(({ route, method, path, kind }) =>
    fc.record({
      route: fc.constant(route),
      method: fc.constant(method),
      path: query.map((search) => `${path}${search}`),
      headers: headers(seeds),
      body: method === 'GET' || method === 'OPTIONS' ? fc.constant(undefined) : bodies(kind, seeds),
    }),
  );
}
