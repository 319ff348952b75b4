import { GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { ulid } from 'ulid';
import type { ExportJob } from '../api/export-job.ts';
import type { TrackerContext } from '../context.ts';
import { exportJobRecordId } from '../dynamo/keys.ts';
import { IDEMPOTENCY_TTL_ATTRIBUTE } from '../dynamo/tables.ts';
import { notFound } from '../errors.ts';

/**
 * Jobs live in the idempotency table, which already has what they need: a string id key and a TTL
 * that removes them. The id starts with the user (`<userId>#export#<exportId>`), so one user cannot
 * read another's job, and the '#' keeps it apart from any idempotency record (keys have no '#').
 */
export const EXPORT_JOB_TTL_SECONDS = 7 * 86_400;

/** What the job runs again in the background: the export's filter and format as the API parsed them. */
export type ExportJobRequest = Record<string, unknown> & { format: ExportJob['format'] };

/** The item: the job, whose link expiry is kept as linkExpiresAt (expiresAt is the item's TTL). */
type JobItem = Omit<ExportJob, 'expiresAt'> & {
  id: string;
  userId: string;
  request: ExportJobRequest;
  [IDEMPOTENCY_TTL_ATTRIBUTE]: number;
  linkExpiresAt?: string;
};

function toJob(item: JobItem): ExportJob {
  const { id, userId, request, expiresAt, linkExpiresAt, ...job } = item;
  return linkExpiresAt ? { ...job, expiresAt: linkExpiresAt } : job;
}

export async function createExportJob(
  ctx: TrackerContext,
  userId: string,
  request: ExportJobRequest,
): Promise<ExportJob> {
  const now = ctx.now();
  const job: ExportJob = {
    exportId: ulid(now.getTime()),
    status: 'pending',
    format: request.format,
    rows: 0,
    createdAt: now.toISOString(),
    updatedAt: now.toISOString(),
  };
  await ctx.doc.send(
    new PutCommand({
      TableName: ctx.tables.idempotency,
      Item: {
        ...job,
        id: exportJobRecordId(userId, job.exportId),
        userId,
        request,
        [IDEMPOTENCY_TTL_ATTRIBUTE]: Math.floor(now.getTime() / 1000) + EXPORT_JOB_TTL_SECONDS,
      },
    }),
  );
  return job;
}

async function readItem(ctx: TrackerContext, userId: string, exportId: string): Promise<JobItem> {
  const { Item } = await ctx.doc.send(
    new GetCommand({
      TableName: ctx.tables.idempotency,
      Key: { id: exportJobRecordId(userId, exportId) },
      ConsistentRead: true,
    }),
  );
  if (!Item) throw notFound('export', exportId);
  return Item as JobItem;
}

export async function getExportJob(
  ctx: TrackerContext,
  userId: string,
  exportId: string,
): Promise<ExportJob> {
  return toJob(await readItem(ctx, userId, exportId));
}

/** The job and what it was asked to export, for the background invocation that runs it. */
export async function claimExportJob(ctx: TrackerContext, userId: string, exportId: string) {
  const item = await readItem(ctx, userId, exportId);
  return { job: toJob(item), request: item.request };
}

export type ExportJobChange =
  | { status: 'running'; rows: number }
  | { status: 'succeeded'; rows: number; bytes: number; url: string; expiresAt: string }
  | { status: 'failed'; rows: number; error: { code: string; message: string } };

export async function updateExportJob(
  ctx: TrackerContext,
  userId: string,
  exportId: string,
  change: ExportJobChange,
): Promise<void> {
  const { expiresAt, ...fields } = change as ExportJobChange & { expiresAt?: string };
  const values: Record<string, unknown> = {
    ...fields,
    updatedAt: ctx.now().toISOString(),
    ...(expiresAt ? { linkExpiresAt: expiresAt } : {}),
  };
  const names = Object.keys(values);
  await ctx.doc.send(
    new UpdateCommand({
      TableName: ctx.tables.idempotency,
      Key: { id: exportJobRecordId(userId, exportId) },
      UpdateExpression: `SET ${names.map((name) => `#${name} = :${name}`).join(', ')}`,
      ExpressionAttributeNames: Object.fromEntries(names.map((name) => [`#${name}`, name])),
      ExpressionAttributeValues: Object.fromEntries(names.map((name) => [`:${name}`, values[name]])),
      // A job deleted by its TTL is not brought back by a late progress write.
      ConditionExpression: 'attribute_exists(id)',
    }),
  );
}
