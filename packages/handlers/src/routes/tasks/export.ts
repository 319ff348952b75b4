import type { Readable } from 'node:stream';
import { exportTasks, TaskFilterSchema, TaskTrackerError, UlidSchema } from '@tasktracker/core';
import * as z from 'zod/mini';
import type { PublishExport } from '../../exports/lazy-publisher.ts';
import { defineRoute, type RouteResult } from '../../http/route.ts';
import type { Runtime } from '../../runtime.ts';
import { renameCategory } from './query.ts';

/** GET /tasks/export: the list filters without paging, plus the format. */
export const ExportQuerySchema = z.pipe(
  z.extend(z.omit(TaskFilterSchema, { categoryId: true }), {
    category: z.optional(UlidSchema),
    format: z._default(z.enum(['csv', 'jsonl']), 'csv'),
  }),
  z.transform(renameCategory),
);

/** How long the link to a large export works. */
export const EXPORT_URL_SECONDS = 900;

const CONTENT_TYPES = { csv: 'text/csv; charset=utf-8', jsonl: 'application/x-ndjson; charset=utf-8' };

async function readAll(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk)));
  return Buffer.concat(chunks);
}

/**
 * GET /tasks/export: the file itself when it fits in an API Gateway response, otherwise the file goes
 * to the bucket under exports/<userId>/ (expired by a lifecycle rule) and the answer is a presigned link.
 */
export const exportTasksRoute = (runtime: Runtime, publish: PublishExport) =>
  defineRoute({
    name: 'GET /tasks/export',
    query: ExportQuerySchema,
    async handle({ userId, query, correlationId, metrics }): Promise<RouteResult> {
      const { format, ...filter } = query;
      let rows = 0;
      const stream = exportTasks(runtime.context, userId, filter, {
        format,
        onRow: (count) => (rows = count),
      });
      const file = await readAll(stream);
      metrics.add('TasksExported', rows);
      const filename = `tasks.${format}`;
      const text = file.toString('utf8');
      // Lambda's 6 MB applies to the response as JSON, where every quote and line break is escaped.
      if (Buffer.byteLength(JSON.stringify(text)) <= runtime.env.EXPORT_INLINE_LIMIT_BYTES) {
        return { text, contentType: CONTENT_TYPES[format], filename };
      }
      const bucket = runtime.env.BUCKET_NAME;
      if (!bucket) {
        throw new TaskTrackerError(
          'PAYLOAD_TOO_LARGE',
          'The export is too large to return and no bucket is set',
          {
            bytes: file.length,
          },
        );
      }
      const key = `exports/${userId}/${new Date().toISOString().replace(/[:.]/g, '-')}-${correlationId}.${format}`;
      const url = await publish({
        bucket,
        key,
        body: file,
        contentType: CONTENT_TYPES[format],
        filename,
        expiresInSeconds: EXPORT_URL_SECONDS,
      });
      const expiresAt = new Date(Date.now() + EXPORT_URL_SECONDS * 1000).toISOString();
      return { data: { url, expiresAt, bytes: file.length, rows, format } };
    },
  });
