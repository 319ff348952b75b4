import { randomUUID } from 'node:crypto';
import { GetObjectCommand, NoSuchKey, type S3Client } from '@aws-sdk/client-s3';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import {
  formatOf,
  importTasks,
  type Logger,
  parseImportFile,
  UnreadableFile,
  UserIdSchema,
} from '@tasktracker/core';
import type { LambdaContext } from '../http/event.ts';
import type { Runtime } from '../runtime.ts';
import { decodeObjectKey, type S3EventRecord, S3EventRecordSchema } from './event.ts';
import type { InvocationLogItem } from './invocation-log.ts';

/** A Lambda has at most 10 GB of memory and 15 minutes; a file this size imports in well under that. */
export const MAX_IMPORT_BYTES = 50 * 1024 * 1024;
/** Rejected rows kept on the log item (all of them go to the log lines); an item must stay under 400 KB. */
const REJECTED_ROWS_KEPT = 100;

export interface ImportDeps {
  runtime: Runtime;
  s3: S3Client;
}

export interface RecordOutcome {
  item: InvocationLogItem & { rejectedRows?: { line: number; error: string }[] };
  /** A transient failure (S3 or DynamoDB unavailable): the invocation should be retried. */
  retry: boolean;
}

/** imports/<userId>/<file>: the uploader's prefix names whose tasks these are. */
export function ownerOf(objectKey: string): string {
  const [prefix, userId, ...rest] = objectKey.split('/');
  if (prefix !== 'imports' || !userId || rest.length === 0 || !UserIdSchema.safeParse(userId).success) {
    throw new UnreadableFile(`${objectKey}: not under imports/<userId>/`);
  }
  return userId;
}

async function readObject(deps: ImportDeps, bucket: string, key: string) {
  const object = await deps.s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
  if ((object.ContentLength ?? 0) > MAX_IMPORT_BYTES) {
    throw new UnreadableFile(
      `${key}: ${object.ContentLength} bytes, over the ${MAX_IMPORT_BYTES} byte limit`,
    );
  }
  const text = (await object.Body?.transformToString('utf8')) ?? '';
  return { text, etag: (object.ETag ?? '').replaceAll('"', '') };
}

async function importObject(deps: ImportDeps, record: S3EventRecord, logger: Logger) {
  const bucket = record.s3.bucket.name;
  const key = decodeObjectKey(record.s3.object.key);
  const userId = ownerOf(key);
  const format = formatOf(key);
  const object = await readObject(deps, bucket, key);
  const etag = record.s3.object.eTag ?? object.etag;
  // One version of one object is one source: a redelivered event imports nothing twice, a new upload
  // (new ETag) of the same key imports again.
  const report = await importTasks(deps.runtime.context, userId, parseImportFile(format, object.text), {
    source: `${bucket}/${key}/${etag}`,
  });
  const rejectedRows = report.rejected.map(({ line, reason }) => ({ line, error: reason }));
  for (const row of rejectedRows)
    logger.warn({ objectKey: key, line: row.line, reason: row.error }, 'row rejected');
  return {
    bucket,
    key,
    userId,
    rejectedRows,
    imported: report.imported,
    duplicates: report.duplicates,
    failed: report.failed,
  };
}

/**
 * Imports one S3 record and describes it as an invocation-log item. Never throws: a file that cannot be
 * read fails its own record only; `retry` tells the caller whether another attempt could succeed.
 */
export async function importRecord(
  deps: ImportDeps,
  raw: unknown,
  context: LambdaContext,
  logger: Logger,
): Promise<RecordOutcome> {
  const parsed = S3EventRecordSchema.safeParse(raw);
  const base = {
    requestId: randomUUID(),
    timestamp: new Date().toISOString(),
    bucketName: parsed.success ? parsed.data.s3.bucket.name : '',
    objectKey: parsed.success ? decodeObjectKey(parsed.data.s3.object.key) : '',
    eventName: parsed.success ? parsed.data.eventName : 'unknown',
    functionName: context.functionName,
    awsRequestId: context.awsRequestId,
  };
  if (!parsed.success) {
    logger.error({ issues: parsed.error.issues.length }, 'not an S3 event record');
    return {
      item: {
        ...base,
        imported: 0,
        duplicates: 0,
        rejected: 0,
        status: 'failed',
        error: 'not an S3 event record',
      },
      retry: false,
    };
  }
  try {
    const result = await importObject(deps, parsed.data, logger);
    return {
      item: {
        ...base,
        imported: result.imported,
        duplicates: result.duplicates,
        rejected: result.rejectedRows.length,
        rejectedRows: result.rejectedRows.slice(0, REJECTED_ROWS_KEPT),
        status: result.failed > 0 ? 'failed' : 'imported',
        ...(result.failed > 0 ? { error: `${result.failed} rows could not be written` } : {}),
      },
      retry: result.failed > 0,
    };
  } catch (error) {
    const permanent = error instanceof UnreadableFile || error instanceof NoSuchKey;
    logger.error({ err: error, objectKey: base.objectKey, permanent }, 'import failed');
    const message = permanent
      ? (error as Error).message
      : 'the file could not be imported now; it will be retried';
    return {
      item: { ...base, imported: 0, duplicates: 0, rejected: 0, status: 'failed', error: message },
      retry: !permanent,
    };
  }
}

export async function writeInvocationLog(runtime: Runtime, item: RecordOutcome['item']): Promise<void> {
  await runtime.context.doc.send(new PutCommand({ TableName: runtime.invocationLogTable, Item: item }));
}
