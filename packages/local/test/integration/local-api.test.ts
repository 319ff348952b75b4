import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LocalApi, type ProxyEvent, readTemplateApi, startLocalApi } from '../../src/api/index.ts';

const TEMPLATE = fileURLToPath(new URL('../../../../cloudformation/tasktracker.yaml', import.meta.url));

/**
 * The local API with the repository's template and an echoing function behind every route: what is
 * under test is API Gateway's part (routing, API keys, its own error answers), not the handlers.
 */
describe('the local API answers as API Gateway would', () => {
  let api: LocalApi;
  const invoked: ProxyEvent[] = [];

  beforeAll(async () => {
    const { routes, gatewayResponses } = await readTemplateApi(TEMPLATE);
    api = await startLocalApi({
      routes,
      gatewayResponses,
      port: 0,
      loadHandler: async (name) => async (event) => {
        invoked.push(event);
        return {
          statusCode: 200,
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ name }),
        };
      },
    });
  });
  afterAll(() => api?.close());

  const call = (path: string, init: RequestInit = {}) => fetch(`${api.url}${path}`, init);

  /** Every gateway answer is the handlers' envelope, its correlation id also in X-Correlation-Id. */
  async function gatewayError(response: Response, code: string, message: string) {
    const body = (await response.json()) as {
      error: { code: string; message: string; correlationId: string };
    };
    expect(body.error).toEqual({ code, message, correlationId: expect.any(String) });
    expect(response.headers.get('x-correlation-id')).toBe(body.error.correlationId);
    return body.error;
  }

  it('refuses a keyed route without a key: 403 INVALID_API_KEY, with X-Correlation-Id', async () => {
    const refused = await call('/tasks', { headers: { origin: 'https://app.example' } });
    expect(refused.status).toBe(403);
    await gatewayError(refused, 'INVALID_API_KEY', 'Forbidden');
    // The template echoes the caller's Origin on gateway answers, as API Gateway would.
    expect(refused.headers.get('access-control-allow-origin')).toBe('https://app.example');
  });

  it('answers an unknown path 403 MISSING_AUTHENTICATION_TOKEN, with X-Correlation-Id', async () => {
    const unknown = await call('/nowhere', { headers: { 'x-api-key': 'k' } });
    expect(unknown.status).toBe(403);
    await gatewayError(unknown, 'MISSING_AUTHENTICATION_TOKEN', 'Missing Authentication Token');
  });

  it('does not fall through from a literal resource to /tasks/{id} for a method it lacks', async () => {
    const before = invoked.length;
    for (const [method, path] of [
      ['GET', '/tasks/bulk'],
      ['PUT', '/tasks/export'],
      ['DELETE', '/tasks/bulk'],
    ] as const) {
      const answer = await call(path, { method, headers: { 'x-api-key': 'k' } });
      expect(answer.status, `${method} ${path}`).toBe(403);
      await gatewayError(answer, 'MISSING_AUTHENTICATION_TOKEN', 'Missing Authentication Token');
    }
    expect(invoked.length).toBe(before);
    const bulk = await call('/tasks/bulk', { method: 'POST', headers: { 'x-api-key': 'k' }, body: '{}' });
    expect(await bulk.json()).toEqual({ name: 'tasks-bulk' });
  });

  it('hands the function the same request id its own answers would carry', async () => {
    await call('/health');
    const event = invoked.at(-1);
    expect(event?.requestContext.requestId).toEqual(expect.stringMatching(/^[0-9a-f-]{36}$/));
  });

  describe("validates requests at the edge with the template's models, before any function runs", () => {
    const send = (method: string, path: string, body: string, type = 'application/json') =>
      call(path, { method, headers: { 'x-api-key': 'k', 'content-type': type }, body });
    const refusedAtEdge = async (response: Response) => {
      expect(response.status).toBe(400);
      await gatewayError(response, 'VALIDATION_ERROR', 'Invalid request body');
    };
    const TASK = '/tasks/01JV4Q5C3N2M8K7R6T5W4X3Y2Z';

    it('refuses bodies the model refuses: 400 VALIDATION_ERROR, and the function never runs', async () => {
      const before = invoked.length;
      await refusedAtEdge(await send('POST', '/tasks', '{"title":"   "}'));
      await refusedAtEdge(await send('POST', '/tasks', '{"title":"ok","colour":"red"}'));
      await refusedAtEdge(await send('POST', '/tasks', '{"title":'));
      await refusedAtEdge(await send('POST', '/tasks', ''));
      await refusedAtEdge(await send('PUT', TASK, '{"expectedVersion":1}'));
      await refusedAtEdge(await send('POST', '/tasks/bulk', '{"action":"delete","ids":["not-a-ulid"]}'));
      await refusedAtEdge(await send('POST', '/categories', '{"name":"x","color":"red"}'));
      expect(invoked.length).toBe(before);
    });

    it('lets valid bodies through, and bodies of another content type (API Gateway applies no model)', async () => {
      const before = invoked.length;
      expect((await send('POST', '/tasks', '{"title":"  Buy milk  ","priority":"high"}')).status).toBe(200);
      expect((await send('PUT', TASK, '{"completed":true}')).status).toBe(200);
      expect((await send('POST', '/tasks', 'title=x', 'text/plain')).status).toBe(200);
      expect(
        (
          await send(
            'POST',
            '/tasks/bulk',
            '{"action":"move","ids":["01JV4Q5C3N2M8K7R6T5W4X3Y2Z"],"categoryId":null}',
          )
        ).status,
      ).toBe(200);
      expect(invoked.length).toBe(before + 4);
    });
  });
});
