import { describe, expect, it } from 'vitest';
import {
  createTaskTrackerClient,
  isTaskTrackerApiError,
  type TaskTrackerApiError,
  type TaskTrackerClientOptions,
} from '../../src/client/index.ts';

const TASK = {
  userId: 'alice',
  taskId: '01J00000000000000000000000',
  title: 'Buy milk',
  completed: false,
  priority: 'medium',
  createdAt: '2026-12-01T10:00:00.000Z',
  updatedAt: '2026-12-01T10:00:00.000Z',
  version: 1,
};

interface Sent {
  url: URL;
  method: string;
  headers: Record<string, string>;
  body: unknown;
}

type Script = (
  sent: Sent,
  attempt: number,
  signal: AbortSignal | undefined,
) => Response | Promise<Response> | Error;

const json = (status: number, body: unknown, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify(body), {
    status,
    headers: { 'content-type': 'application/json; charset=utf-8', ...headers },
  });
const envelope = (status: number, code: string, headers: Record<string, string> = {}) =>
  json(status, { error: { code, message: `${code} happened`, correlationId: 'corr-1' } }, headers);

/** A client on a scripted fetch: every request is recorded, every wait is recorded instead of slept. */
function scripted(script: Script, options: Partial<TaskTrackerClientOptions> = {}) {
  const sent: Sent[] = [];
  const waits: number[] = [];
  const fetch: typeof globalThis.fetch = async (input, init) => {
    const headers = Object.fromEntries(new Headers(init?.headers).entries());
    const request: Sent = {
      url: new URL(String(input)),
      method: init?.method ?? 'GET',
      headers,
      body: typeof init?.body === 'string' ? JSON.parse(init.body) : undefined,
    };
    sent.push(request);
    const outcome = await script(request, sent.length, init?.signal ?? undefined);
    if (outcome instanceof Error) throw outcome;
    return outcome;
  };
  const client = createTaskTrackerClient({
    baseUrl: 'https://api.example/dev/',
    apiKey: 'key-1',
    fetch,
    ...options,
    retry: {
      random: () => 0.5,
      sleep: async (ms) => {
        waits.push(ms);
      },
      ...(options.retry === false ? { retries: 0 } : options.retry),
    },
  } as TaskTrackerClientOptions);
  return { client, sent, waits };
}

const failure = (promise: Promise<unknown>) =>
  promise.then(
    () => {
      throw new Error('expected the call to fail');
    },
    (error: unknown) => {
      if (!isTaskTrackerApiError(error)) throw error;
      return error as TaskTrackerApiError;
    },
  );

describe('the HTTP client: requests', () => {
  it('sends the API key, JSON, a correlation id and a generated Idempotency-Key on a POST', async () => {
    const { client, sent } = scripted(() => json(201, { data: TASK }));
    const task = await client.tasks.create({ title: 'Buy milk' });
    expect(task).toEqual(TASK);
    const [request] = sent;
    expect(request?.url.href).toBe('https://api.example/dev/tasks');
    expect(request?.method).toBe('POST');
    expect(request?.headers).toMatchObject({
      'x-api-key': 'key-1',
      'content-type': 'application/json',
      accept: 'application/json',
      'x-correlation-id': expect.stringMatching(/^[0-9a-f-]{36}$/),
      'idempotency-key': expect.stringMatching(/^[0-9a-f-]{36}$/),
    });
    expect(request?.body).toEqual({ title: 'Buy milk' });
    await client.tasks.create({ title: 'again' }, { idempotencyKey: 'order-42', correlationId: 'mine' });
    expect(sent[1]?.headers).toMatchObject({ 'idempotency-key': 'order-42', 'x-correlation-id': 'mine' });
    expect(sent[1]?.headers['idempotency-key']).not.toBe(request?.headers['idempotency-key']);
  });

  it('asks a token function on every attempt, so a refreshed token is used by the retry', async () => {
    let issued = 0;
    const { client, sent } = scripted(
      (_sent, attempt) => (attempt === 1 ? envelope(503, 'SERVICE_UNAVAILABLE') : json(200, { data: TASK })),
      { token: () => `token-${++issued}`, apiKey: undefined } as Partial<TaskTrackerClientOptions>,
    );
    await client.tasks.get(TASK.taskId);
    expect(sent.map((request) => request.headers.authorization)).toEqual([
      'Bearer token-1',
      'Bearer token-2',
    ]);
    expect(sent[0]?.headers['x-api-key']).toBeUndefined();
  });

  it('sends the key and the token together (AuthMode both), and reads a Cognito 401 as UNAUTHORIZED', async () => {
    const { client, sent } = scripted(() => json(401, { message: 'Unauthorized' }), {
      apiKey: 'key-1',
      token: async () => 'id-token',
    } as Partial<TaskTrackerClientOptions>);
    const failure = await client.tasks.get(TASK.taskId).catch((error: unknown) => error);
    expect(failure).toMatchObject({ code: 'UNAUTHORIZED', status: 401, message: 'HTTP 401: Unauthorized' });
    expect(sent[0]?.headers).toMatchObject({ 'x-api-key': 'key-1', authorization: 'Bearer id-token' });
  });

  it('names the category `category` in queries, drops unset filters and encodes path ids', async () => {
    const { client, sent } = scripted(() => json(200, { data: [], nextCursor: null }));
    await client.tasks.list({
      categoryId: '01J00000000000000000000001',
      status: 'open',
      limit: 5,
      q: undefined,
    });
    expect(Object.fromEntries(sent[0]!.url.searchParams)).toEqual({
      category: '01J00000000000000000000001',
      status: 'open',
      limit: '5',
    });
    const missing = scripted(() => envelope(404, 'RESOURCE_NOT_FOUND'));
    await failure(missing.client.tasks.get('a/b?c'));
    expect(missing.sent[0]?.url.pathname).toBe('/dev/tasks/a%2Fb%3Fc');
    await expect(missing.client.tasks.get('')).rejects.toThrow(TypeError);
  });

  it('sends If-Match as a version or as the ETag given, and category delete options as the query', async () => {
    const { client, sent } = scripted((request) =>
      request.method === 'PUT'
        ? json(200, { data: TASK })
        : json(200, { data: { categoryId: TASK.taskId, deleted: true, movedTasks: 2 } }),
    );
    await client.tasks.update(TASK.taskId, { title: 'x' }, { ifMatch: 3 });
    await client.tasks.update(TASK.taskId, { title: 'x' }, { ifMatch: `"${TASK.taskId}:3"` });
    const deleted = await client.categories.delete(TASK.taskId, { uncategorize: true, ifMatch: 2 });
    expect(sent.map((request) => request.headers['if-match'])).toEqual(['3', `"${TASK.taskId}:3"`, '2']);
    expect(sent[2]?.url.search).toBe('?uncategorize=true');
    expect(deleted.movedTasks).toBe(2);
  });

  it('iterates every page by cursor, one request per page', async () => {
    const pages = [
      { data: [TASK], nextCursor: 'c1' },
      { data: [{ ...TASK, taskId: '01J00000000000000000000002' }], nextCursor: 'c2' },
      { data: [{ ...TASK, taskId: '01J00000000000000000000003' }], nextCursor: null },
    ];
    const { client, sent } = scripted((_request, attempt) => json(200, pages[attempt - 1]));
    const ids: string[] = [];
    for await (const task of client.tasks.iterate({ status: 'open', limit: 1 })) ids.push(task.taskId);
    expect(ids).toEqual([TASK.taskId, '01J00000000000000000000002', '01J00000000000000000000003']);
    expect(sent.map((request) => request.url.searchParams.get('cursor'))).toEqual([null, 'c1', 'c2']);
    expect(sent.every((request) => request.url.searchParams.get('status') === 'open')).toBe(true);
  });

  it('returns an export as the file, or as the link when the API answers with one', async () => {
    const link = {
      url: 'https://bucket.example/exports/a.csv?sig=1',
      expiresAt: '2026-12-01T10:15:00.000Z',
      bytes: 9_000_000,
      rows: 40_000,
      format: 'csv',
    };
    const file = scripted(
      () => new Response('taskId,title\r\n', { headers: { 'content-type': 'text/csv' } }),
    );
    expect(await file.client.tasks.export({ status: 'open' })).toEqual({
      kind: 'file',
      format: 'csv',
      contentType: 'text/csv',
      text: 'taskId,title\r\n',
    });
    const large = scripted(() => json(200, { data: link }));
    expect(await large.client.tasks.export({ format: 'csv' })).toEqual({ kind: 'link', ...link });
  });

  it('returns a 202 export as its job, and waits for a job with progress until it ends', async () => {
    const job = {
      exportId: '01J00000000000000000000001',
      status: 'pending',
      format: 'csv',
      rows: 0,
      createdAt: '2026-12-01T10:00:00.000Z',
      updatedAt: '2026-12-01T10:00:00.000Z',
    };
    const slow = scripted(() => json(202, { data: job }, { location: `/exports/${job.exportId}` }));
    expect(await slow.client.tasks.export()).toEqual({ kind: 'job', job });
    const states = [
      { ...job, status: 'running', rows: 500 },
      { ...job, status: 'running', rows: 1500 },
      { ...job, status: 'succeeded', rows: 2000, bytes: 9000, url: 'https://bucket.example/e.csv' },
    ];
    const polled = scripted((_sent, attempt) =>
      attempt === 1 ? json(202, { data: job }) : json(200, { data: states[attempt - 2] }),
    );
    const started = await polled.client.exports.start({ status: 'open' });
    expect(polled.sent[0]?.url.searchParams.get('async')).toBe('true');
    const seen: number[] = [];
    const done = await polled.client.exports.wait(started.exportId, {
      intervalMs: 1,
      onProgress: (each) => seen.push(each.rows),
    });
    expect(done).toMatchObject({ status: 'succeeded', rows: 2000 });
    expect(seen).toEqual([500, 1500, 2000]);
    expect(polled.sent.slice(1).map((each) => each.url.pathname)).toEqual(
      Array(3).fill(`/dev/exports/${job.exportId}`),
    );
  });
});

describe('the HTTP client: errors', () => {
  it('throws the envelope as TaskTrackerApiError: code, status, message, details, correlationId', async () => {
    const { client, sent } = scripted(() =>
      json(412, {
        error: {
          code: 'PRECONDITION_FAILED',
          message: 'If-Match: the task has changed',
          details: { currentVersion: 2 },
          correlationId: 'corr-9',
        },
      }),
    );
    const error = await failure(client.tasks.update(TASK.taskId, { title: 'x' }, { ifMatch: 1 }));
    expect(error).toMatchObject({
      name: 'TaskTrackerApiError',
      code: 'PRECONDITION_FAILED',
      status: 412,
      message: 'If-Match: the task has changed',
      details: { currentVersion: 2 },
      correlationId: 'corr-9',
      attempts: 1,
    });
    expect(sent).toHaveLength(1);
  });

  it('reports a gateway’s own answer as GATEWAY_ERROR with its status and message', async () => {
    const { client } = scripted(() => json(403, { message: 'Forbidden' }, { 'x-amzn-requestid': 'req-7' }));
    const error = await failure(client.categories.list());
    expect(error).toMatchObject({ code: 'GATEWAY_ERROR', status: 403, correlationId: 'req-7' });
    expect(error.message).toContain('Forbidden');
  });

  it('refuses a success whose body is not the route’s shape, naming the path', async () => {
    const { client } = scripted(() => json(200, { data: { ...TASK, priority: 'urgent' } }));
    const error = await failure(client.tasks.get(TASK.taskId));
    expect(error.code).toBe('INVALID_RESPONSE');
    expect(error.details).toEqual([expect.objectContaining({ path: ['data', 'priority'] })]);
    const notJson = scripted(() => new Response('<html>', { status: 200 }));
    expect((await failure(notJson.client.tasks.get(TASK.taskId))).code).toBe('INVALID_RESPONSE');
  });

  it('does not retry what retrying cannot fix (400, 404, 409 conflicts, 412)', async () => {
    for (const [status, code] of [
      [400, 'VALIDATION_ERROR'],
      [404, 'RESOURCE_NOT_FOUND'],
      [409, 'VERSION_CONFLICT'],
      [412, 'PRECONDITION_FAILED'],
    ] as const) {
      const { client, sent } = scripted(() => envelope(status, code));
      expect((await failure(client.tasks.get(TASK.taskId))).code).toBe(code);
      expect(sent, code).toHaveLength(1);
    }
  });
});

describe('the HTTP client: retries', () => {
  it('retries 429 and 5xx with exponential backoff and full jitter, then succeeds', async () => {
    const answers = [
      envelope(503, 'SERVICE_UNAVAILABLE'),
      json(429, { message: 'Too Many Requests' }),
      json(502, { message: 'Internal server error' }),
    ];
    const { client, sent, waits } = scripted(
      (_request, attempt) => answers[attempt - 1] ?? json(200, { data: TASK }),
    );
    expect(await client.tasks.get(TASK.taskId)).toEqual(TASK);
    expect(sent).toHaveLength(4);
    // random() = 0.5 of a ceiling of 200 ms doubling per retry.
    expect(waits).toEqual([100, 200, 400]);
    expect(new Set(sent.map((request) => request.headers['x-correlation-id'])).size).toBe(1);
  });

  it('gives up after `retries` retries with the last error, saying how many attempts it made', async () => {
    const { client, sent, waits } = scripted(() => envelope(500, 'INTERNAL_SERVER_ERROR'), {
      retry: { retries: 2 },
    });
    const error = await failure(client.tasks.get(TASK.taskId));
    expect(error).toMatchObject({ code: 'INTERNAL_SERVER_ERROR', status: 500, attempts: 3 });
    expect(sent).toHaveLength(3);
    expect(waits).toHaveLength(2);
  });

  it('caps each wait at maxDelayMs', async () => {
    const { client, waits } = scripted(() => envelope(503, 'SERVICE_UNAVAILABLE'), {
      retry: { retries: 5, baseDelayMs: 1_000, maxDelayMs: 3_000 },
    });
    await failure(client.tasks.get(TASK.taskId));
    expect(waits).toEqual([500, 1_000, 1_500, 1_500, 1_500]);
  });

  it('waits at least what Retry-After asks (seconds or a date), and not at all when it asks too much', async () => {
    const seconds = scripted((_r, attempt) =>
      attempt === 1
        ? json(429, { message: 'Too Many Requests' }, { 'retry-after': '3' })
        : json(200, { data: TASK }),
    );
    await seconds.client.tasks.get(TASK.taskId);
    expect(seconds.waits).toEqual([3_000]);

    const at = new Date(Date.now() + 10_000).toUTCString();
    const date = scripted((_r, attempt) =>
      attempt === 1 ? envelope(503, 'SERVICE_UNAVAILABLE', { 'retry-after': at }) : json(200, { data: TASK }),
    );
    await date.client.tasks.get(TASK.taskId);
    // An HTTP-date has whole seconds; far above the 100 ms the jitter alone would give.
    expect(date.waits[0]).toBeGreaterThan(1_000);
    expect(date.waits[0]).toBeLessThanOrEqual(10_000);

    const tooLong = scripted(() => envelope(503, 'SERVICE_UNAVAILABLE', { 'retry-after': '3600' }));
    const error = await failure(tooLong.client.tasks.get(TASK.taskId));
    expect(error).toMatchObject({ code: 'SERVICE_UNAVAILABLE', retryAfterMs: 3_600_000, attempts: 1 });
    expect(tooLong.waits).toEqual([]);
  });

  it('retries a lost answer with the same Idempotency-Key, so the POST applies once', async () => {
    const { client, sent } = scripted((_r, attempt) =>
      attempt === 1
        ? new TypeError('fetch failed', { cause: new Error('ECONNRESET') })
        : json(201, { data: TASK }),
    );
    expect(await client.tasks.create({ title: 'Buy milk' })).toEqual(TASK);
    expect(sent).toHaveLength(2);
    expect(sent[1]?.headers['idempotency-key']).toBe(sent[0]?.headers['idempotency-key']);
  });

  it('retries a bulk run the API says is still in progress (409 IDEMPOTENCY_IN_PROGRESS)', async () => {
    const result = {
      results: [{ id: TASK.taskId, status: 'updated' }],
      counts: { updated: 1, deleted: 0, not_found: 0, conflict: 0, failed: 0 },
    };
    const { client, sent } = scripted((_r, attempt) =>
      attempt === 1 ? envelope(409, 'IDEMPOTENCY_IN_PROGRESS') : json(200, { data: result }),
    );
    expect(await client.tasks.bulk({ action: 'complete', ids: [TASK.taskId] })).toEqual(result);
    expect(sent).toHaveLength(2);
  });

  it('reports no answer as NETWORK_ERROR (status 0) once retries are spent, and a timeout as such', async () => {
    const refused = scripted(
      () => new TypeError('fetch failed', { cause: new Error('connect ECONNREFUSED') }),
      {
        retry: { retries: 1 },
      },
    );
    const error = await failure(refused.client.tasks.list());
    expect(error).toMatchObject({ code: 'NETWORK_ERROR', status: 0, attempts: 2 });
    expect(error.message).toContain('ECONNREFUSED');

    // A fetch that never answers: the per-attempt timeout aborts it.
    const silent = scripted(
      (_request, _attempt, signal) =>
        new Promise<Response>((_resolve, reject) => {
          signal?.addEventListener('abort', () => reject(signal.reason));
        }),
      { timeoutMs: 20, retry: false },
    );
    const timedOut = await failure(silent.client.tasks.list());
    expect(timedOut).toMatchObject({ code: 'NETWORK_ERROR', status: 0, message: 'No answer within 20 ms' });
  });

  it('stops at once when the caller aborts, even between attempts', async () => {
    const controller = new AbortController();
    const { client, sent } = scripted(() => envelope(503, 'SERVICE_UNAVAILABLE'), {
      retry: {
        sleep: async () => {
          controller.abort(new Error('user gave up'));
          throw controller.signal.reason;
        },
      },
    });
    await expect(client.tasks.get(TASK.taskId, { signal: controller.signal })).rejects.toThrow(
      'user gave up',
    );
    expect(sent).toHaveLength(1);
  });

  it('sends once with retry: false, and never retries a failing detailed health check', async () => {
    const off = scripted(() => envelope(503, 'SERVICE_UNAVAILABLE'), { retry: false });
    await failure(off.client.tasks.get(TASK.taskId));
    expect(off.sent).toHaveLength(1);
    const health = scripted(() => envelope(503, 'SERVICE_UNAVAILABLE'));
    expect((await failure(health.client.health.detailed())).code).toBe('SERVICE_UNAVAILABLE');
    expect(health.sent).toHaveLength(1);
  });
});

describe('the HTTP client: conditional GETs', () => {
  it('with cache, revalidates with If-None-Match and reuses the kept body on 304', async () => {
    const etag = `"${TASK.taskId}:1"`;
    const { client, sent } = scripted(
      (request) =>
        request.headers['if-none-match'] === etag
          ? new Response(null, { status: 304, headers: { etag } })
          : json(200, { data: TASK }, { etag }),
      { cache: true },
    );
    const first = await client.tasks.get(TASK.taskId);
    const second = await client.tasks.get(TASK.taskId);
    expect(second).toEqual(first);
    expect(second).not.toBe(first); // parsed afresh: a caller's change to one never shows in the next
    expect(sent.map((request) => request.headers['if-none-match'])).toEqual([undefined, etag]);
  });

  it('without cache, never sends If-None-Match, and a stray 304 is INVALID_RESPONSE', async () => {
    const { client, sent } = scripted(() => new Response(null, { status: 304 }));
    expect((await failure(client.tasks.get(TASK.taskId))).code).toBe('INVALID_RESPONSE');
    expect(sent[0]?.headers['if-none-match']).toBeUndefined();
  });

  it('keeps at most maxEntries, dropping the least recently used', async () => {
    const { client, sent } = scripted(
      (request) =>
        request.headers['if-none-match']
          ? new Response(null, { status: 304 })
          : json(200, { data: { ...TASK, taskId: request.url.pathname.slice(-26) } }, { etag: '"t"' }),
      { cache: { maxEntries: 2 } },
    );
    const ids = ['01J0000000000000000000000A', '01J0000000000000000000000B', '01J0000000000000000000000C'];
    for (const id of ids) await client.tasks.get(id);
    await client.tasks.get(ids[0]!); // evicted by C: fetched in full
    await client.tasks.get(ids[2]!); // still kept: revalidated
    expect(sent.slice(3).map((request) => request.headers['if-none-match'])).toEqual([undefined, '"t"']);
  });
});
