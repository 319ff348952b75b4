import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { describe, expect, it } from 'vitest';
import { createApiHandler, createHttpRuntime } from '../../src/index.ts';
import { detailedHealthRoute } from '../../src/routes/health/detailed.ts';
import { invoke } from '../support/events.ts';
import { ALLOWED_ORIGIN, noEngine, useHandlers } from '../support/stack.ts';

const api = useHandlers(['health/health', 'health/detailed', 'cors/preflight', 'tasks/get'] as const);
const h = () => api.handlers;

describe.skipIf(noEngine)('health and CORS', () => {
  it('GET /health answers 200 without any identity', async () => {
    const reply = await invoke(h()['health/health'], { method: 'GET', resource: '/health', apiKeyId: null });
    expect(reply.status).toBe(200);
    expect(reply.json.data).toMatchObject({ status: 'ok', stage: 'dev' });
  });

  it('GET /health/detailed checks every table with latency and names none of them', async () => {
    const reply = await invoke<{
      status: string;
      checks: { name: string; status: string; latencyMs: number }[];
    }>(h()['health/detailed'], { method: 'GET', resource: '/health/detailed', apiKeyId: null });
    expect(reply.status).toBe(200);
    expect(reply.json.data.checks.map((check) => [check.name, check.status])).toEqual([
      ['tasks', 'ok'],
      ['categories', 'ok'],
      ['idempotency', 'ok'],
      ['invocationLog', 'ok'],
    ]);
    expect(reply.json.data.checks.every((check) => check.latencyMs >= 0)).toBe(true);
    expect(reply.body).not.toContain(api.tables.tasks);
    expect(reply.body).not.toMatch(/arn:aws/);
  });

  it('GET /health/detailed answers 503 in the error envelope when DynamoDB is unreachable', async () => {
    const runtime = createHttpRuntime({ writeMetrics: () => {} });
    const unreachable = new DynamoDBClient({
      endpoint: 'http://127.0.0.1:9',
      region: 'us-east-1',
      credentials: { accessKeyId: 'x', secretAccessKey: 'x' },
      maxAttempts: 1,
    });
    const handler = createApiHandler(detailedHealthRoute(runtime, unreachable), runtime);
    const reply = await invoke(handler, { method: 'GET', resource: '/health/detailed', apiKeyId: null });
    expect(reply.status).toBe(503);
    expect(reply.json.error.code).toBe('SERVICE_UNAVAILABLE');
    expect(reply.json.error.details).toMatchObject({
      checks: expect.arrayContaining([expect.objectContaining({ status: 'unreachable' })]),
    });
    unreachable.destroy();
  });

  it('answers a preflight from an allowed origin with methods and headers, and one from elsewhere with none', async () => {
    const allowed = await invoke(h()['cors/preflight'], {
      method: 'OPTIONS',
      resource: '/tasks',
      apiKeyId: null,
      headers: { Origin: ALLOWED_ORIGIN, 'Access-Control-Request-Method': 'POST' },
    });
    expect(allowed.status).toBe(204);
    expect(allowed.headers).toMatchObject({
      'Access-Control-Allow-Origin': ALLOWED_ORIGIN,
      'Access-Control-Allow-Methods': expect.stringContaining('POST'),
      'Access-Control-Allow-Headers': expect.stringContaining('Idempotency-Key'),
      Vary: 'Origin',
    });
    const foreign = await invoke(h()['cors/preflight'], {
      method: 'OPTIONS',
      resource: '/tasks',
      apiKeyId: null,
      headers: { Origin: 'https://evil.example' },
    });
    expect(foreign.headers['Access-Control-Allow-Origin']).toBeUndefined();
    expect(foreign.headers['Access-Control-Allow-Methods']).toBeUndefined();
  });

  it('puts CORS headers on success and error responses for an allowed origin only', async () => {
    const missing = await invoke(h()['tasks/get'], {
      method: 'GET',
      resource: '/tasks/{id}',
      pathParameters: { id: 'nope' },
      headers: { origin: ALLOWED_ORIGIN },
    });
    expect(missing.status).toBe(404);
    expect(missing.headers['Access-Control-Allow-Origin']).toBe(ALLOWED_ORIGIN);
    expect(missing.headers['Access-Control-Expose-Headers']).toContain('X-Correlation-Id');
    const foreign = await invoke(h()['tasks/get'], {
      method: 'GET',
      resource: '/tasks/{id}',
      pathParameters: { id: 'nope' },
      headers: { origin: 'https://evil.example' },
    });
    expect(foreign.headers['Access-Control-Allow-Origin']).toBeUndefined();
  });
});
