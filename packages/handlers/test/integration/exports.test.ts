import { text } from 'node:stream/consumers';
import { HeadObjectCommand, ListMultipartUploadsCommand, type S3Client } from '@aws-sdk/client-s3';
import { BatchWriteCommand, DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { createTaskTracker, type ExportJob, keys, type Task } from '@tasktracker/core';
import { localDynamoClient } from '@tasktracker/local';
import { type LocalLambda, startLocalLambda } from '@tasktracker/local/api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toTaskItem } from '../../../core/src/tasks/item.ts';
import { lazyInvoker, runExportJob } from '../../src/exports/jobs.ts';
import { PART_BYTES, uploadInParts } from '../../src/exports/multipart.ts';
import { createPublisher } from '../../src/exports/publish.ts';
import { createApiHandler } from '../../src/http/wrapper.ts';
import { exportTasksRoute } from '../../src/routes/tasks/export.ts';
import { createRuntime } from '../../src/runtime.ts';
import { invoke } from '../support/events.ts';
import { motoBucket, motoServer, useMoto } from '../support/moto.ts';
import { endpoint as dynamoEndpoint, noEngine, useHandlers } from '../support/stack.ts';

const BUCKET = 'tasktracker-test-exports';
/** Tasks of ~2 KB: about 12 MB of CSV, so a file of three 5 MiB parts (moto holds S3's part minimum). */
const TASKS = 6_000;
const USER = 'key-exporter';

const moto = useMoto();
const lambda: { server?: LocalLambda } = {};
// Before the handlers load: their Lambda client is pointed here, and it runs their jobs in this process.
beforeAll(async () => {
  lambda.server = await startLocalLambda({
    resolve: async (name) =>
      name === 'tasktracker-dev-tasks-export' ? api.handlers['tasks/export'] : undefined,
  });
});
const api = useHandlers(['tasks/export'] as const, () => ({
  AWS_ENDPOINT_URL_S3: moto.endpoint,
  AWS_ENDPOINT_URL_LAMBDA: lambda.server?.endpoint ?? '',
  BUCKET_NAME: BUCKET,
  EXPORT_INLINE_LIMIT_BYTES: '600',
}));
const skip = noEngine || !motoServer;

let s3: S3Client;
let doc: DynamoDBDocumentClient;
/** The CSV the service streams for USER: what an inline answer would carry. */
let expectedCsv: string;

beforeAll(async () => {
  if (skip) return;
  s3 = await motoBucket(moto.endpoint, BUCKET);
  doc = DynamoDBDocumentClient.from(localDynamoClient(dynamoEndpoint));
  const now = Date.now();
  const items = Array.from({ length: TASKS }, (_, i) => {
    const at = new Date(now - (TASKS - i) * 1000).toISOString();
    const task: Task = {
      userId: USER,
      // One second apart: the lowest ULID of each second is a unique id.
      taskId: keys.ulidLowerBound(new Date(now - (TASKS - i) * 1000)),
      title: `Export task ${i}, "quoted"`,
      description: `${'x'.repeat(1_900)}\nline ${i}`,
      completed: i % 3 === 0,
      priority: 'medium',
      createdAt: at,
      updatedAt: at,
      version: 1,
    };
    return toTaskItem(task);
  });
  for (let i = 0; i < items.length; i += 25) {
    const batch = items.slice(i, i + 25).map((Item) => ({ PutRequest: { Item } }));
    let pending: typeof batch = batch;
    while (pending.length > 0) {
      const out = await doc.send(new BatchWriteCommand({ RequestItems: { [api.tables.tasks]: pending } }));
      pending = (out.UnprocessedItems?.[api.tables.tasks] ?? []) as typeof batch;
    }
  }
  const tracker = createTaskTracker({ client: doc, tables: api.tables });
  expectedCsv = await text(tracker.tasks.export(USER));
}, 120_000);
afterAll(async () => {
  await lambda.server?.idle();
  await lambda.server?.close();
  s3?.destroy();
  doc?.destroy();
});

const exportCall = (query: Record<string, string> = {}, apiKeyId = USER) =>
  invoke<ExportJob & { url: string; bytes: number; rows: number }>(api.handlers['tasks/export'], {
    method: 'GET',
    resource: '/tasks/export',
    apiKeyId,
    query,
  });

const jobCall = (id: string, apiKeyId = USER) =>
  invoke<ExportJob>(api.handlers['tasks/export'], {
    method: 'GET',
    resource: '/exports/{id}',
    pathParameters: { id },
    apiKeyId,
  });

const partsOf = async (url: string) => {
  const key = decodeURIComponent(new URL(url).pathname.replace(`/${BUCKET}/`, ''));
  const head = await s3.send(new HeadObjectCommand({ Bucket: BUCKET, Key: key }));
  // A multipart object's ETag is "<md5 of the parts' md5s>-<number of parts>".
  return Number(/-(\d+)"?$/.exec(head.ETag ?? '')?.[1] ?? 1);
};

describe.skipIf(skip)('exports past the inline limit and export jobs', () => {
  it('streams a large export into a multipart object whose content is the inline CSV', async () => {
    const reply = await exportCall();
    expect(reply.status).toBe(200);
    expect(reply.json.data.rows).toBe(TASKS);
    const file = await (await fetch(reply.json.data.url)).text();
    expect(file).toBe(expectedCsv);
    expect(reply.json.data.bytes).toBe(Buffer.byteLength(expectedCsv));
    expect(await partsOf(reply.json.data.url)).toBeGreaterThanOrEqual(2);
    const open = await s3.send(new ListMultipartUploadsCommand({ Bucket: BUCKET }));
    expect(open.Uploads ?? []).toEqual([]);
  });

  it('answers 202 with a job for async=true, runs it in the background, and reports it done', async () => {
    const reply = await exportCall({ async: 'true' });
    expect(reply.status).toBe(202);
    expect(reply.json.data.status).toBe('pending');
    expect(reply.headers.Location).toBe(`/exports/${reply.json.data.exportId}`);
    await lambda.server?.idle();
    const job = await jobCall(reply.json.data.exportId);
    expect(job.status).toBe(200);
    expect(job.json.data).toMatchObject({ status: 'succeeded', rows: TASKS, format: 'csv' });
    expect(job.json.data.bytes).toBe(Buffer.byteLength(expectedCsv));
    expect(await (await fetch(job.json.data.url ?? '')).text()).toBe(expectedCsv);
  });

  it("keeps a job to its user: another user's id is not found, like a missing one", async () => {
    const reply = await exportCall({ async: 'true', format: 'jsonl' }, 'key-small');
    await lambda.server?.idle();
    expect((await jobCall(reply.json.data.exportId, 'key-small')).json.data.status).toBe('succeeded');
    const stranger = await jobCall(reply.json.data.exportId, USER);
    expect(stranger.status).toBe(404);
    expect(stranger.json.error.code).toBe('RESOURCE_NOT_FOUND');
    expect((await jobCall('01JV4Q5C3N2M8K7R6T5W4X3Y2Z', USER)).status).toBe(404);
    expect((await jobCall('not-a-ulid', USER)).json.error.code).toBe('VALIDATION_ERROR');
  });

  it('hands an export that runs past its time budget to a job, which finishes it', async () => {
    const runtime = createRuntime();
    const overBudget = createApiHandler(
      exportTasksRoute(runtime, createPublisher(process.env), lazyInvoker(), 0),
      runtime,
    );
    const reply = await invoke<ExportJob>(overBudget, {
      method: 'GET',
      resource: '/tasks/export',
      apiKeyId: USER,
    });
    expect(reply.status).toBe(202);
    await lambda.server?.idle();
    const job = await jobCall(reply.json.data.exportId);
    expect(job.json.data).toMatchObject({ status: 'succeeded', rows: TASKS });
  });

  it('aborts the multipart upload when the body fails after some parts went up', async () => {
    async function* failingBody() {
      for (let part = 0; part < 3; part++) yield Buffer.alloc(PART_BYTES, 'a');
      throw new Error('the page read failed');
    }
    const target = { bucket: BUCKET, key: 'exports/key-x/broken.csv', contentType: 'text/csv' };
    await expect(uploadInParts(s3, target, failingBody())).rejects.toThrow('the page read failed');
    const open = await s3.send(new ListMultipartUploadsCommand({ Bucket: BUCKET }));
    expect(open.Uploads ?? []).toEqual([]);
  });

  it('records a job that fails with its error code, and the status route reports it', async () => {
    const env = { ...process.env, BUCKET_NAME: 'tasktracker-no-such-bucket' };
    const runtime = createRuntime({ env });
    // A job recorded but not started (the invoker does nothing), then run against a missing bucket.
    const again = await invoke<ExportJob>(
      createApiHandler(
        exportTasksRoute(runtime, createPublisher(env), async () => undefined),
        runtime,
      ),
      { method: 'GET', resource: '/tasks/export', apiKeyId: 'key-failing', query: { async: 'true' } },
    );
    expect(again.status).toBe(202);
    const exportJob = { userId: 'key-failing', exportId: again.json.data.exportId };
    expect(await runExportJob(runtime, createPublisher(env), { exportJob })).toBe('failed');
    const job = await jobCall(again.json.data.exportId, 'key-failing');
    expect(job.json.data.status).toBe('failed');
    expect(job.json.data.error?.code).toBe('INTERNAL_SERVER_ERROR');
  });
});
