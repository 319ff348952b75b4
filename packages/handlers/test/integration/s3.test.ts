import { PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { DynamoDBDocumentClient, QueryCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import type { Task } from '@tasktracker/core';
import { localDynamoClient } from '@tasktracker/local';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ImportSummary } from '../../src/imports/handler.ts';
import { invoke, lambdaContext } from '../support/events.ts';
import { motoBucket, motoServer, useMoto } from '../support/moto.ts';
import { endpoint as dynamoEndpoint, noEngine, useHandlers } from '../support/stack.ts';

const BUCKET = 'tasktracker-test-imports';
const moto = useMoto();
const api = useHandlers(['tasks/list', 'tasks/create', 'tasks/export'] as const, () => ({
  AWS_ENDPOINT_URL_S3: moto.endpoint,
  BUCKET_NAME: BUCKET,
  EXPORT_INLINE_LIMIT_BYTES: '600',
}));

let s3: S3Client;
let importHandler: (event: unknown, context: ReturnType<typeof lambdaContext>) => Promise<ImportSummary>;
let doc: DynamoDBDocumentClient;

beforeAll(async () => {
  if (noEngine || !motoServer) return;
  s3 = await motoBucket(moto.endpoint, BUCKET);
  importHandler = (await import('../../src/functions/imports-process.ts')).handler;
  doc = DynamoDBDocumentClient.from(localDynamoClient(dynamoEndpoint));
});
afterAll(() => {
  s3?.destroy();
  doc?.destroy();
});

async function upload(key: string, body: string): Promise<string> {
  const { ETag } = await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: key, Body: body }));
  return (ETag ?? '').replaceAll('"', '');
}

/** An S3 ObjectCreated record as S3 delivers it to Lambda (keys URL-encoded, '+' for spaces). */
function s3Record(key: string, eTag: string, size = 100) {
  return {
    eventVersion: '2.1',
    eventSource: 'aws:s3',
    awsRegion: 'us-east-1',
    eventTime: new Date().toISOString(),
    eventName: 'ObjectCreated:Put',
    userIdentity: { principalId: 'AWS:AIDAEXAMPLE' },
    requestParameters: { sourceIPAddress: '198.51.100.7' },
    responseElements: {
      'x-amz-request-id': 'C3D13FE58DE4C810',
      'x-amz-id-2': 'FMyUVURIY8/IgAtTv8xRjskZQpcIZ9KG4V5Wp6S7S/JRWeUWerMUE5JgHvANOjpD',
    },
    s3: {
      s3SchemaVersion: '1.0',
      configurationId: 'imports',
      bucket: {
        name: BUCKET,
        ownerIdentity: { principalId: 'A3NL1KOZZKExample' },
        arn: `arn:aws:s3:::${BUCKET}`,
      },
      object: {
        key: encodeURIComponent(key).replace(/%2F/g, '/').replace(/%20/g, '+'),
        size,
        eTag,
        sequencer: '0055AED6DCD90281E5',
      },
    },
  };
}

const listTitles = async (apiKeyId: string) =>
  (
    await invoke<Task[]>(api.handlers['tasks/list'], {
      method: 'GET',
      resource: '/tasks',
      apiKeyId,
      query: { limit: '100' },
    })
  ).json.data
    .map((task) => task.title)
    .sort();

async function logItems(awsRequestId: string) {
  const { Items } = await doc.send(new ScanCommand({ TableName: api.tables.invocationLog }));
  return (Items ?? []).filter((item) => item.awsRequestId === awsRequestId);
}

describe.skipIf(noEngine || !motoServer)('imports from S3 (moto) into DynamoDB Local', () => {
  const csv = [
    'taskId,title,description,completed,priority,categoryId,categoryName,dueDate,createdAt,updatedAt,version,userId',
    '01JOLDIDOLDIDOLDIDOLDIDOLD,\'=SUM(A1),"multi\r\nline",false,high,,,2026-12-01,2026-01-01T00:00:00Z,2026-01-01T00:00:00Z,3,someone-else',
    ',Second task,,true,low,,,,,,,',
    ',,no title here,,,,,,,,,',
    ',Bad priority,,,urgent,,,,,,,',
    ',"unterminated quote,,,,,,,,,,',
  ].join('\r\n');

  it('imports a CSV as the uploader’s tasks, rejects invalid rows by line, and logs the invocation', async () => {
    const key = 'imports/key-importer/my tasks.csv';
    const etag = await upload(key, csv);
    const context = lambdaContext('tasktracker-dev-imports-process');
    const summary = await importHandler({ Records: [s3Record(key, etag)] }, context);
    expect(summary.records[0]).toMatchObject({ imported: 2, rejected: 3, duplicates: 0, status: 'imported' });
    expect(summary.records[0]?.rejectedRows?.map((row) => row.line)).toEqual([5, 6, 7]);
    expect(summary.records[0]?.rejectedRows?.[0]?.error).toMatch(/^title:/);
    expect(await listTitles('key-importer')).toEqual(['=SUM(A1)', 'Second task']);
    const [item] = await logItems(context.awsRequestId);
    expect(item).toMatchObject({
      bucketName: BUCKET,
      objectKey: key,
      eventName: 'ObjectCreated:Put',
      functionName: 'tasktracker-dev-imports-process',
      awsRequestId: context.awsRequestId,
      imported: 2,
      rejected: 3,
    });
    expect(item?.requestId).toMatch(/^[0-9a-f-]{36}$/);
    expect(new Date(String(item?.timestamp)).toISOString()).toBe(item?.timestamp);
    const { Items } = await doc.send(
      new QueryCommand({
        TableName: api.tables.tasks,
        KeyConditionExpression: 'userId = :u',
        ExpressionAttributeValues: { ':u': 'someone-else' },
      }),
    );
    expect(Items).toEqual([]);
  });

  it('creates nothing twice when the same event is delivered again', async () => {
    const key = 'imports/key-dup/tasks.jsonl';
    const etag = await upload(key, '{"title":"one"}\n{"title":"two","priority":"high"}\n');
    const event = { Records: [s3Record(key, etag)] };
    await importHandler(event, lambdaContext());
    const again = await importHandler(event, lambdaContext());
    expect(again.records[0]).toMatchObject({ imported: 0, duplicates: 2, status: 'imported' });
    expect(await listTitles('key-dup')).toEqual(['one', 'two']);
  });

  it('handles several records, failing only the malformed or missing file', async () => {
    const good = 'imports/key-multi/good.jsonl';
    const goodTag = await upload(good, '{"title":"from good"}\nnot json\n[1]\n');
    const broken = 'imports/key-multi/broken.csv';
    // Semicolon-separated, as some spreadsheets save: no title column is found, so the file is unreadable.
    const brokenTag = await upload(broken, 'title;description\nfoo;bar\n');
    const wrongType = 'imports/key-multi/notes.txt';
    const wrongTag = await upload(wrongType, 'hello');
    const context = lambdaContext();
    const summary = await importHandler(
      {
        Records: [
          s3Record(broken, brokenTag),
          s3Record(good, goodTag),
          s3Record('imports/key-multi/missing.csv', 'abc'),
          s3Record(wrongType, wrongTag),
          s3Record('elsewhere/file.csv', 'abc'),
        ],
      },
      context,
    );
    expect(summary.records.map((record) => record.status)).toEqual([
      'failed',
      'imported',
      'failed',
      'failed',
      'failed',
    ]);
    expect(summary.records[1]).toMatchObject({ imported: 1, rejected: 2 });
    expect(summary.records[1]?.rejectedRows).toEqual([
      { line: 2, error: 'not valid JSON' },
      { line: 3, error: 'not a JSON object' },
    ]);
    expect(summary.records[0]?.error).toMatch(/no title column/);
    expect(summary.records[3]?.error).toMatch(/not a .csv/);
    expect(await listTitles('key-multi')).toEqual(['from good']);
    expect(await logItems(context.awsRequestId)).toHaveLength(5);
  });

  it('fails the invocation (for a retry, then the DLQ) when DynamoDB is unreachable, after logging', async () => {
    const { createRuntime } = await import('../../src/runtime.ts');
    const { createImportHandler } = await import('../../src/imports/handler.ts');
    const { localDynamoClient: client } = await import('@tasktracker/local');
    const unreachable = client('http://127.0.0.1:9', { maxAttempts: 1 });
    const handler = createImportHandler({
      runtime: createRuntime({ dynamo: unreachable, writeMetrics: () => {} }),
      s3,
    });
    const key = 'imports/key-down/tasks.jsonl';
    const etag = await upload(key, '{"title":"later"}\n');
    await expect(handler({ Records: [s3Record(key, etag)] }, lambdaContext())).rejects.toThrow(
      /failed transiently/,
    );
    unreachable.destroy();
  });

  it('exports past the inline limit to the bucket and answers with a working presigned URL', async () => {
    for (let i = 0; i < 8; i++) {
      await invoke(api.handlers['tasks/create'], {
        method: 'POST',
        resource: '/tasks',
        apiKeyId: 'key-big',
        body: { title: `task ${i}` },
      });
    }
    const reply = await invoke<{ url: string; bytes: number; rows: number; expiresAt: string }>(
      api.handlers['tasks/export'],
      {
        method: 'GET',
        resource: '/tasks/export',
        apiKeyId: 'key-big',
      },
    );
    expect(reply.status).toBe(200);
    expect(reply.json.data.rows).toBe(8);
    expect(reply.json.data.url).toContain('/exports/key-big/');
    expect(reply.json.data.url).toContain('X-Amz-Expires=900');
    const file = await fetch(reply.json.data.url);
    expect(file.status).toBe(200);
    const text = await file.text();
    expect(text.length).toBe(reply.json.data.bytes);
    expect(text.split('\r\n').filter(Boolean)).toHaveLength(9);
  });
});
