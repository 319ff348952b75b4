// Calls every route of the deployed API once or more, as a client would, and checks status codes and
// the envelope (`{"data": ...}` on success, `{"error": {code, message, correlationId}}` on failure).
//
//   node localstack/lib/routes.mjs --endpoint http://localhost:4566 --api-id <id> --stage <stage> \
//        --api-key <value> [--origin http://localhost:3000]
//   node localstack/lib/routes.mjs --base http://127.0.0.1:3000 --api-key <value>   (tt local serve)
//
// One line per check on stderr; on stdout one JSON document {passed, failed, checks}. Exit 1 when a
// check failed. The route list is the handlers' (packages/handlers/src/manifest.ts); the test beside
// this script (packages/cli/test/e2e/localstack.test.ts) runs it against `tt local serve`.

import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';

/**
 * LocalStack's path form of an API Gateway stage: it needs no DNS for <id>.execute-api.localhost, so
 * it works from any host. `/tasks` → http://localhost:4566/restapis/<id>/<stage>/_user_request_/tasks
 */
export function userRequestBase(endpoint, apiId, stage) {
  if (!/^[A-Za-z0-9]+$/.test(apiId)) throw new Error(`not a REST API id: "${apiId}"`);
  return `${endpoint.replace(/\/+$/, '')}/restapis/${apiId}/${encodeURIComponent(stage)}/_user_request_`;
}

/** The REST API id out of the stack's ApiUrl output: https://<id>.execute-api.<region>.<suffix>/<stage>. */
export function apiIdOf(apiUrl) {
  const match = /^https?:\/\/([A-Za-z0-9]+)\.execute-api\./.exec(apiUrl ?? '');
  if (!match) throw new Error(`not an API Gateway URL: "${apiUrl}"`);
  return match[1];
}

const TASK_TITLE = 'E2E task ✓ café';

/** A ULID no task will ever have (the time part is the epoch). */
const MISSING_ID = '00000000000000000000000000';

class CheckFailed extends Error {}

function expect(condition, message) {
  if (!condition) throw new CheckFailed(message);
}

/** Runs the checks in order (later ones use what earlier ones created); never throws. */
export async function checkRoutes({ base, apiKey, origin = 'http://localhost:3000', log = () => {} }) {
  const checks = [];
  let sequence = 0;

  async function call(method, path, { body, key = apiKey, headers = {} } = {}) {
    const correlationId = `e2e-${process.pid}-${++sequence}`;
    const response = await fetch(`${base}${path}`, {
      method,
      headers: {
        'x-correlation-id': correlationId,
        ...(key ? { 'x-api-key': key } : {}),
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        ...headers,
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      signal: AbortSignal.timeout(60_000),
    });
    const text = await response.text();
    let json;
    try {
      json = text ? JSON.parse(text) : undefined;
    } catch {
      json = undefined;
    }
    return { status: response.status, headers: response.headers, text, json, correlationId };
  }

  /** A success: the status, a `data` member, and our correlation id echoed. */
  function expectData(answer, status) {
    expect(
      answer.status === status,
      `status ${answer.status}, expected ${status}: ${answer.text.slice(0, 300)}`,
    );
    expect(answer.json && 'data' in answer.json, `no "data" envelope: ${answer.text.slice(0, 300)}`);
    expect(
      answer.headers.get('x-correlation-id') === answer.correlationId,
      `X-Correlation-Id not echoed (got ${answer.headers.get('x-correlation-id')})`,
    );
    return answer.json.data;
  }

  /**
   * A failure: the status, the error code, and the correlation id inside the error envelope. A request
   * API Gateway refuses itself (`atEdge`: its model refused the body) carries API Gateway's request id
   * instead of ours, in the envelope and in X-Correlation-Id alike.
   */
  function expectError(answer, status, code, { atEdge = false } = {}) {
    expect(
      answer.status === status,
      `status ${answer.status}, expected ${status}: ${answer.text.slice(0, 300)}`,
    );
    const error = answer.json?.error;
    expect(error && typeof error.message === 'string', `no "error" envelope: ${answer.text.slice(0, 300)}`);
    expect(error.code === code, `error code ${error.code}, expected ${code}`);
    const expected = atEdge ? answer.headers.get('x-correlation-id') : answer.correlationId;
    expect(Boolean(expected) && error.correlationId === expected, 'correlationId missing from the error');
  }

  async function check(name, run) {
    const started = Date.now();
    try {
      await run();
      checks.push({ name, ok: true, ms: Date.now() - started });
      log(`ok    ${name}`);
    } catch (error) {
      const reason = error instanceof CheckFailed ? error.message : `${error.name}: ${error.message}`;
      checks.push({ name, ok: false, ms: Date.now() - started, reason });
      log(`FAIL  ${name}: ${reason}`);
    }
  }

  let category;
  let task;
  let second;

  await check('GET /health without a key → 200', async () => {
    const data = expectData(await call('GET', '/health', { key: null }), 200);
    expect(data.status === 'ok', `status "${data.status}"`);
  });
  await check('GET /health/detailed without a key → 200, every table ok', async () => {
    const data = expectData(await call('GET', '/health/detailed', { key: null }), 200);
    expect(data.checks?.length === 4, `${data.checks?.length} checks, expected 4`);
    expect(
      data.checks.every((c) => c.status === 'ok'),
      `not ok: ${JSON.stringify(data.checks)}`,
    );
  });
  await check('GET /openapi.json without a key → 200, the OpenAPI 3.1 document of every route', async () => {
    const answer = await call('GET', '/openapi.json', { key: null });
    expect(answer.status === 200, `status ${answer.status}, expected 200`);
    expect(answer.json?.openapi === '3.1.0', `not an OpenAPI 3.1 document: ${answer.text.slice(0, 120)}`);
    expect(Boolean(answer.json?.paths?.['/tasks/{id}']?.put), 'PUT /tasks/{id} is not in it');
  });
  await check('GET /tasks without a key → 403 (API Gateway refuses it)', async () => {
    const answer = await call('GET', '/tasks', { key: null });
    expect(answer.status === 403, `status ${answer.status}, expected 403`);
  });
  await check('POST /categories → 201', async () => {
    category = expectData(
      await call('POST', '/categories', { body: { name: 'E2E', color: '#1E90FF' } }),
      201,
    );
    expect(/^[0-9A-Z]{26}$/.test(category.categoryId), `categoryId "${category.categoryId}"`);
  });
  await check('GET /categories → 200, lists it', async () => {
    const data = expectData(await call('GET', '/categories'), 200);
    expect(Array.isArray(data), 'data is not a list');
    expect(
      data.some((c) => c.categoryId === category?.categoryId),
      'the new category is not listed',
    );
  });
  await check('GET /categories/{id} → 200', async () => {
    const data = expectData(await call('GET', `/categories/${category?.categoryId}`), 200);
    expect(data.name === 'E2E', `name "${data.name}"`);
  });
  await check('PUT /categories/{id} → 200, version 2', async () => {
    const body = { name: 'E2E renamed', expectedVersion: 1 };
    const data = expectData(await call('PUT', `/categories/${category?.categoryId}`, { body }), 200);
    expect(data.name === 'E2E renamed' && data.version === 2, `got ${JSON.stringify(data)}`);
  });
  await check('POST /tasks → 201; the same Idempotency-Key replays it', async () => {
    const key = `e2e-${Date.now()}-${process.pid}`;
    // Not ASCII: the body crosses API Gateway as UTF-8 both ways.
    const body = { title: TASK_TITLE, priority: 'high', categoryId: category?.categoryId };
    const headers = { 'idempotency-key': key };
    task = expectData(await call('POST', '/tasks', { body, headers }), 201);
    expect(task.version === 1 && task.completed === false, `got ${JSON.stringify(task)}`);
    const replay = await call('POST', '/tasks', { body, headers });
    const again = expectData(replay, 201);
    expect(again.taskId === task.taskId, 'the replay created another task');
    expect(replay.headers.get('idempotent-replayed') === 'true', 'no Idempotent-Replayed: true');
  });
  await check('POST /tasks with no title → 400 VALIDATION_ERROR', async () => {
    // The body's model refuses it at the edge, before any function runs.
    expectError(await call('POST', '/tasks', { body: { priority: 'low' } }), 400, 'VALIDATION_ERROR', {
      atEdge: true,
    });
  });
  await check('GET /tasks → 200, lists it, with nextCursor', async () => {
    const answer = await call('GET', '/tasks?limit=50');
    const data = expectData(answer, 200);
    expect(Array.isArray(data) && 'nextCursor' in answer.json, 'not a page');
    expect(
      data.some((t) => t.taskId === task?.taskId),
      'the new task is not listed',
    );
  });
  await check('GET /tasks/{id} → 200; an unknown id → 404 RESOURCE_NOT_FOUND', async () => {
    const data = expectData(await call('GET', `/tasks/${task?.taskId}`), 200);
    expect(data.title === TASK_TITLE, `title "${data.title}"`);
    expectError(await call('GET', `/tasks/${MISSING_ID}`), 404, 'RESOURCE_NOT_FOUND');
  });
  await check('PUT /tasks/{id} → 200; a stale version → 409 VERSION_CONFLICT', async () => {
    const data = expectData(
      await call('PUT', `/tasks/${task?.taskId}`, { body: { completed: true, expectedVersion: 1 } }),
      200,
    );
    expect(data.completed === true && data.version === 2, `got ${JSON.stringify(data)}`);
    const stale = await call('PUT', `/tasks/${task?.taskId}`, {
      body: { title: 'late', expectedVersion: 1 },
    });
    expectError(stale, 409, 'VERSION_CONFLICT');
  });
  await check('GET /tasks/{id} → ETag; If-None-Match → empty 304; a stale If-Match → 412', async () => {
    const fresh = await call('GET', `/tasks/${task?.taskId}`);
    expectData(fresh, 200);
    const etag = fresh.headers.get('etag');
    expect(etag === `"${task?.taskId}:2"`, `ETag ${etag}`);
    const cacheControl = fresh.headers.get('cache-control');
    expect(cacheControl === 'private, no-cache', `Cache-Control "${cacheControl}"`);
    // The gateway must pass a 304 on with no body, as the Lambda answered it.
    const cached = await call('GET', `/tasks/${task?.taskId}`, { headers: { 'if-none-match': etag } });
    expect(cached.status === 304, `status ${cached.status}, expected 304`);
    expect(cached.text === '', `a 304 with a body: ${cached.text.slice(0, 100)}`);
    const stale = await call('PUT', `/tasks/${task?.taskId}`, {
      body: { title: 'late' },
      headers: { 'if-match': `"${task?.taskId}:1"` },
    });
    expectError(stale, 412, 'PRECONDITION_FAILED');
  });
  await check('POST /tasks/bulk → 200, per-item results', async () => {
    second = expectData(await call('POST', '/tasks', { body: { title: 'E2E bulk' } }), 201);
    const body = { action: 'complete', ids: [second.taskId, MISSING_ID] };
    const data = expectData(await call('POST', '/tasks/bulk', { body }), 200);
    expect(
      data.counts?.updated === 1 && data.counts?.not_found === 1,
      `counts ${JSON.stringify(data.counts)}`,
    );
  });
  await check('GET /tasks/export → 200 CSV with both tasks', async () => {
    const answer = await call('GET', '/tasks/export');
    expect(answer.status === 200, `status ${answer.status}: ${answer.text.slice(0, 300)}`);
    expect(answer.headers.get('content-type')?.startsWith('text/csv'), answer.headers.get('content-type'));
    expect(answer.text.includes(TASK_TITLE) && answer.text.includes('E2E bulk'), 'a task is missing');
  });
  await check(
    'GET /exports/{id} → 200, the ?async=true job followed to succeeded; an unknown id → 404',
    async () => {
      const job = expectData(await call('GET', '/tasks/export?async=true'), 202);
      const deadline = Date.now() + 60_000;
      let current = job;
      while (current.status === 'pending' || current.status === 'running') {
        expect(Date.now() < deadline, `export job ${job.exportId} still ${current.status} after 60 s`);
        await new Promise((resolve) => setTimeout(resolve, 250));
        current = expectData(await call('GET', `/exports/${job.exportId}`), 200);
      }
      expect(current.status === 'succeeded' && current.rows >= 2, `the job ended ${JSON.stringify(current)}`);
      expectError(await call('GET', `/exports/${MISSING_ID}`), 404, 'RESOURCE_NOT_FOUND');
    },
  );
  await check('DELETE /categories/{id} with tasks → 409, then ?uncategorize=true → 200', async () => {
    const refused = await call('DELETE', `/categories/${category?.categoryId}`);
    expectError(refused, 409, 'CATEGORY_NOT_EMPTY');
    const data = expectData(
      await call('DELETE', `/categories/${category?.categoryId}?uncategorize=true`),
      200,
    );
    expect(data.deleted === true && data.movedTasks === 1, `got ${JSON.stringify(data)}`);
  });
  await check('DELETE /tasks/{id} → 200, then GET → 404', async () => {
    for (const id of [task?.taskId, second?.taskId]) {
      const data = expectData(await call('DELETE', `/tasks/${id}`), 200);
      expect(data.deleted === true, `got ${JSON.stringify(data)}`);
    }
    expectError(await call('GET', `/tasks/${task?.taskId}`), 404, 'RESOURCE_NOT_FOUND');
  });
  await check(`OPTIONS /tasks from ${origin} → 204 with CORS; another origin gets none`, async () => {
    const preflight = (from) =>
      call('OPTIONS', '/tasks', {
        key: null,
        headers: { origin: from, 'access-control-request-method': 'POST' },
      });
    const allowed = await preflight(origin);
    expect(allowed.status === 204, `status ${allowed.status}`);
    const allowOrigin = allowed.headers.get('access-control-allow-origin');
    expect(allowOrigin === origin || allowOrigin === '*', `Access-Control-Allow-Origin "${allowOrigin}"`);
    expect(allowed.headers.get('access-control-allow-methods')?.includes('DELETE'), 'no Allow-Methods');
    if (allowOrigin === origin) {
      const other = await preflight('https://elsewhere.example');
      expect(!other.headers.get('access-control-allow-origin'), 'a foreign origin was allowed');
    }
  });

  const failed = checks.filter((c) => !c.ok).length;
  return { passed: checks.length - failed, failed, checks };
}

async function main() {
  const { values } = parseArgs({
    options: {
      base: { type: 'string' },
      endpoint: { type: 'string' },
      'api-id': { type: 'string' },
      stage: { type: 'string' },
      'api-key': { type: 'string' },
      origin: { type: 'string' },
    },
  });
  const base =
    values.base ??
    (values.endpoint && values['api-id'] && values.stage
      ? userRequestBase(values.endpoint, values['api-id'], values.stage)
      : undefined);
  if (!base || !values['api-key']) {
    process.stderr.write(
      'usage: node localstack/lib/routes.mjs (--base <url> | --endpoint <url> --api-id <id> --stage <stage>) --api-key <value> [--origin <url>]\n',
    );
    process.exit(64);
  }
  process.stderr.write(`calling every route at ${base}\n`);
  const report = await checkRoutes({
    base,
    apiKey: values['api-key'],
    ...(values.origin ? { origin: values.origin } : {}),
    log: (line) => process.stderr.write(`  ${line}\n`),
  });
  process.stdout.write(`${JSON.stringify(report)}\n`);
  process.exit(report.failed > 0 ? 1 : 0);
}

// Run as a script, not when a test imports the functions above.
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) await main();
