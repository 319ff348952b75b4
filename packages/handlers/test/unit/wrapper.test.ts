import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { TaskTrackerError } from '@tasktracker/core';
import { describe, expect, it } from 'vitest';
import * as z from 'zod';
import { createApiHandler, createRuntime, defineRoute, type Runtime } from '../../src/index.ts';
import { createTaskRoute } from '../../src/routes/tasks/create.ts';
import { apiEvent, invoke, lambdaContext } from '../support/events.ts';

function captured(level: 'info' | 'debug', dynamo?: DynamoDBClient) {
  const lines: Record<string, unknown>[] = [];
  const metrics: string[] = [];
  const runtime: Runtime = createRuntime({
    env: {
      STAGE: 'dev',
      LOG_LEVEL: level,
      AWS_REGION: 'us-east-1',
      ALLOWED_ORIGINS: 'https://a.example,https://b.example',
    },
    logDestination: { write: (line: string) => lines.push(JSON.parse(line) as Record<string, unknown>) },
    writeMetrics: (line) => metrics.push(line),
    ...(dynamo ? { dynamo } : {}),
  });
  return { runtime, lines, metrics };
}

/** A client whose every call fails the way a real SDK error would, with internals in the message. */
function failingClient(): DynamoDBClient {
  const client = new DynamoDBClient({
    region: 'us-east-1',
    credentials: { accessKeyId: 'x', secretAccessKey: 'x' },
  });
  client.middlewareStack.add(
    () => async () => {
      throw Object.assign(
        new Error('User: arn:aws:iam::123:role/x is not authorized on table secret-table'),
        {
          name: 'AccessDeniedException',
        },
      );
    },
    { step: 'initialize', name: 'injectFault' },
  );
  return client;
}

const echoRoute = defineRoute({
  name: 'POST /echo',
  idempotent: true,
  body: z.object({ title: z.string(), password: z.string().optional() }),
  async handle({ body, userId, idempotencyKey, metrics }) {
    metrics.add('Echoes', 2);
    return { status: 201, data: { title: body.title, userId, idempotencyKey } };
  },
});

describe('the HTTP wrapper', () => {
  it('logs request and response at info with Lambda context and cold start, and never the body', async () => {
    const { runtime, lines } = captured('info');
    const handler = createApiHandler(echoRoute, runtime);
    const body = { title: 'body-text-that-must-not-be-logged' };
    await invoke(handler, {
      method: 'POST',
      resource: '/echo',
      body,
      headers: { 'X-Correlation-Id': 'c-1' },
    });
    await invoke(handler, { method: 'POST', resource: '/echo', body });
    const [request, response] = lines;
    expect(request).toMatchObject({
      level: 'info',
      msg: 'request',
      correlationId: 'c-1',
      coldStart: true,
      route: 'POST /echo',
    });
    expect(request).toMatchObject({
      functionName: 'tasktracker-dev-test',
      awsRequestId: expect.any(String),
      method: 'POST',
    });
    expect(response).toMatchObject({ msg: 'response', statusCode: 201, latencyMs: expect.any(Number) });
    expect(lines[2]).toMatchObject({ msg: 'request', coldStart: false });
    expect(JSON.stringify(lines)).not.toContain('body-text-that-must-not-be-logged');
    expect(JSON.stringify(lines)).not.toContain('k3y-value-never-logged');
  });

  it('logs bodies at debug with secrets redacted', async () => {
    const { runtime, lines } = captured('debug');
    const handler = createApiHandler(echoRoute, runtime);
    await invoke(handler, {
      method: 'POST',
      resource: '/echo',
      body: { title: 'visible', password: 'hunter2' },
    });
    const text = JSON.stringify(lines);
    expect(text).toContain('visible');
    expect(text).not.toContain('hunter2');
    expect(lines.some((line) => line.msg === 'request body')).toBe(true);
  });

  it('turns an unexpected error into a 500 envelope without internals, logging the cause', async () => {
    const { runtime, lines, metrics } = captured('info', failingClient());
    const handler = createApiHandler(createTaskRoute(runtime), runtime);
    const reply = await invoke(handler, { method: 'POST', resource: '/tasks', body: { title: 'x' } });
    expect(reply.status).toBe(500);
    expect(reply.json).toEqual({
      error: {
        code: 'INTERNAL_SERVER_ERROR',
        message: 'An unexpected error occurred',
        correlationId: reply.headers['X-Correlation-Id'],
      },
    });
    expect(reply.body).not.toContain('secret-table');
    expect(JSON.stringify(lines)).toContain('secret-table');
    expect(JSON.parse(metrics[0]!)).toMatchObject({ ServerErrors: 1, Requests: 1 });
  });

  it('answers 400 for an event that is not an API Gateway proxy event', async () => {
    const { runtime } = captured('info');
    const handler = createApiHandler(echoRoute, runtime);
    const response = await handler({ Records: [] }, lambdaContext());
    expect(response.statusCode).toBe(400);
    expect(JSON.parse(response.body)).toMatchObject({ error: { code: 'VALIDATION_ERROR' } });
  });

  it('passes the Idempotency-Key only to idempotent routes and writes business counts to the EMF line', async () => {
    const { runtime, metrics } = captured('info');
    const handler = createApiHandler(echoRoute, runtime);
    const event = apiEvent({
      method: 'POST',
      resource: '/echo',
      body: { title: 't' },
      headers: { 'idempotency-key': 'k-1' },
    });
    const response = await handler(event, lambdaContext());
    expect(JSON.parse(response.body)).toMatchObject({ data: { idempotencyKey: 'k-1', userId: 'key-alice' } });
    const line = JSON.parse(metrics[0]!);
    expect(line).toMatchObject({ Echoes: 2, Requests: 1, ClientErrors: 0, Route: 'POST /echo' });
    expect(line._aws.CloudWatchMetrics[0].Dimensions).toEqual([['Service', 'Route']]);
  });

  it('maps every core error code to its status in the envelope', async () => {
    const { runtime } = captured('info');
    for (const [code, status] of [
      ['FORBIDDEN', 403],
      ['CATEGORY_NOT_EMPTY', 409],
      ['IDEMPOTENCY_IN_PROGRESS', 409],
      ['SERVICE_UNAVAILABLE', 503],
    ] as const) {
      const route = defineRoute({
        name: 'GET /fail',
        async handle(): Promise<never> {
          throw new TaskTrackerError(code);
        },
      });
      const reply = await invoke(createApiHandler(route, runtime), { method: 'GET', resource: '/fail' });
      expect([reply.status, reply.json.error.code]).toEqual([status, code]);
    }
  });

  it('echoes the allowed origin, and only that one, from a list of several', async () => {
    const { runtime } = captured('info');
    const handler = createApiHandler(echoRoute, runtime);
    const b = await invoke(handler, {
      method: 'POST',
      resource: '/echo',
      body: { title: 't' },
      headers: { Origin: 'https://b.example' },
    });
    expect(b.headers['Access-Control-Allow-Origin']).toBe('https://b.example');
    const c = await invoke(handler, {
      method: 'POST',
      resource: '/echo',
      body: { title: 't' },
      headers: { Origin: 'https://c.example' },
    });
    expect(c.headers['Access-Control-Allow-Origin']).toBeUndefined();
  });
});
