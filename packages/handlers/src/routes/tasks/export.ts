import { TaskFilterSchema, UlidSchema } from '@tasktracker/core';
import * as z from 'zod/mini';
import { type InvokeAsync, startExportJob } from '../../exports/jobs.ts';
import type { PublishExport } from '../../exports/lazy-publisher.ts';
import { CONTENT_TYPES, ExportOverBudget, writeExport } from '../../exports/write-export.ts';
import { defineRoute, type RouteResult } from '../../http/route.ts';
import type { Runtime } from '../../runtime.ts';
import { renameCategory } from './query.ts';

export { EXPORT_URL_SECONDS } from '../../exports/write-export.ts';

/** GET /tasks/export: the list filters without paging, the format, and whether to start a job at once. */
export const ExportQuerySchema = z.pipe(
  z.extend(z.omit(TaskFilterSchema, { categoryId: true }), {
    category: z.optional(UlidSchema),
    format: z._default(z.enum(['csv', 'jsonl']), 'csv'),
    async: z.optional(z.enum(['true', 'false'])),
  }),
  z.transform(renameCategory),
);

/**
 * How long the answer may take before the export becomes a job: well inside API Gateway's 29 s, with
 * room to record the job and answer.
 */
export const EXPORT_SYNC_BUDGET_MS = 20_000;

/**
 * GET /tasks/export: the file itself when it fits in an API Gateway response; otherwise it is streamed
 * to the bucket under exports/<userId>/ (expired by a lifecycle rule) and the answer is a presigned
 * link; an export that would not finish within the budget, or asked for with async=true, answers 202
 * with a job to follow at GET /exports/{id}.
 */
export const exportTasksRoute = (
  runtime: Runtime,
  publish: PublishExport,
  invoke: InvokeAsync,
  budgetMs = EXPORT_SYNC_BUDGET_MS,
) =>
  defineRoute({
    name: 'GET /tasks/export',
    query: ExportQuerySchema,
    async handle({ userId, query, correlationId, metrics }): Promise<RouteResult> {
      const { format, async: asJob, ...filter } = query;
      const startJob = async () => {
        const job = await startExportJob(runtime, invoke, userId, { filter, format });
        metrics.add('ExportJobsStarted', 1);
        return { status: 202, headers: { Location: `/exports/${job.exportId}` }, data: job };
      };
      if (asJob === 'true') return startJob();
      try {
        const outcome = await writeExport(runtime, publish, {
          userId,
          filter,
          format,
          name: correlationId,
          inline: true,
          deadline: Date.now() + budgetMs,
        });
        metrics.add('TasksExported', outcome.rows);
        if (outcome.kind === 'inline') {
          return { text: outcome.text, contentType: CONTENT_TYPES[format], filename: `tasks.${format}` };
        }
        const { url, expiresAt, bytes, rows } = outcome;
        return { data: { url, expiresAt, bytes, rows, format } };
      } catch (error) {
        if (error instanceof ExportOverBudget) return startJob();
        throw error;
      }
    },
  });
