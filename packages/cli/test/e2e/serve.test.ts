import { type ChildProcess, spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { noEngine, useCli } from './harness.ts';

const BIN = fileURLToPath(new URL('../../dist/tt.mjs', import.meta.url));

describe.skipIf(noEngine)('tt local serve', () => {
  const cli = useCli();
  let server: ChildProcess;
  let url = '';
  let s3: S3Client;
  let bucket = '';

  beforeAll(async () => {
    if (noEngine) return;
    await cli.run(['local', 'start']);
    server = spawn(process.execPath, [BIN, 'local', 'serve', '--port', '0', '--json'], {
      env: { ...process.env, TASKTRACKER_DATA_DIR: cli.dataDir() },
      cwd: fileURLToPath(new URL('../../../..', import.meta.url)),
    });
    const lines = createInterface({ input: server.stdout! });
    const first = await new Promise<string>((resolve) => lines.once('line', resolve));
    const started = JSON.parse(first) as { url: string; s3: string; bucket: string };
    url = started.url;
    s3 = new S3Client({
      endpoint: started.s3,
      region: 'us-east-1',
      forcePathStyle: true,
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    });
    bucket = started.bucket;
  });
  afterAll(() => {
    server?.kill('SIGINT');
  });

  const call = (path: string, init: RequestInit & { key?: string } = {}) =>
    fetch(`${url}${path}`, {
      ...init,
      headers: {
        ...(init.key ? { 'x-api-key': init.key } : {}),
        ...(init.body ? { 'content-type': 'application/json' } : {}),
        ...(init.headers as Record<string, string> | undefined),
      },
    });

  it('answers health without a key, and 403 like API Gateway without one elsewhere', async () => {
    expect((await call('/health')).status).toBe(200);
    const gatewayCode = async (response: Response) => {
      const { error } = (await response.json()) as { error: { code: string; correlationId: string } };
      expect(response.headers.get('x-correlation-id')).toBe(error.correlationId);
      return [response.status, error.code];
    };
    expect(await gatewayCode(await call('/tasks'))).toEqual([403, 'INVALID_API_KEY']);
    expect(await gatewayCode(await call('/nowhere', { key: 'a' }))).toEqual([
      403,
      'MISSING_AUTHENTICATION_TOKEN',
    ]);
    expect(await gatewayCode(await call('/tasks/bulk', { key: 'a' }))).toEqual([
      403,
      'MISSING_AUTHENTICATION_TOKEN',
    ]);
  });

  it('serves the OpenAPI document without a key, the one the schemas generate', async () => {
    const { buildOpenApiDocument } = await import('@tasktracker/handlers');
    const served = await call('/openapi.json');
    expect(served.status).toBe(200);
    expect(served.headers.get('content-type')).toMatch(/^application\/json/);
    expect(await served.json()).toEqual(buildOpenApiDocument());
  });

  it('keeps two API keys apart as two users', async () => {
    const created = await call('/tasks', {
      method: 'POST',
      key: 'alice-key',
      body: JSON.stringify({ title: 'Alice only' }),
    });
    expect(created.status).toBe(201);
    const task = ((await created.json()) as { data: { taskId: string } }).data;
    const mine = (await (await call('/tasks', { key: 'alice-key' })).json()) as {
      data: { taskId: string }[];
    };
    expect(mine.data.map((t) => t.taskId)).toEqual([task.taskId]);
    const theirs = (await (await call('/tasks', { key: 'bob-key' })).json()) as { data: unknown[] };
    expect(theirs.data).toEqual([]);
    expect((await call(`/tasks/${task.taskId}`, { key: 'bob-key' })).status).toBe(404);
    expect((await call(`/tasks/${task.taskId}`, { key: 'alice-key' })).status).toBe(200);
  });

  it('routes static paths before parameters and answers CORS preflights', async () => {
    const bulk = await call('/tasks/bulk', {
      method: 'POST',
      key: 'alice-key',
      body: JSON.stringify({ action: 'complete', ids: ['01J00000000000000000000000'] }),
    });
    expect(bulk.status).toBe(200);
    const preflight = await call('/tasks', {
      method: 'OPTIONS',
      headers: { origin: 'http://localhost:3000', 'access-control-request-method': 'POST' },
    });
    expect(preflight.status).toBeLessThan(300);
    expect(preflight.headers.get('access-control-allow-origin')).toBe('http://localhost:3000');
  });

  it('imports a CSV uploaded under imports/<user>/ as S3 would, once per object', async () => {
    const body = 'title,priority\nFrom S3,high\n,low\nAlso from S3,low\n';
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'imports/s3-user/tasks.csv', Body: body }));
    let titles: string[] = [];
    for (let attempt = 0; attempt < 50 && titles.length < 2; attempt++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      const listed = await cli.run(['tasks', 'list', '--json', '--user', 's3-user']);
      titles = listed
        .json<{ items: { title: string }[] }>()
        .items.map((task) => task.title)
        .sort();
    }
    expect(titles).toEqual(['Also from S3', 'From S3']);
  });
});
