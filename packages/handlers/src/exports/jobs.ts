import {
  claimExportJob,
  createExportJob,
  type ExportJob,
  type Logger,
  type TaskFilter,
  TaskTrackerError,
  updateExportJob,
} from '@tasktracker/core';
import type { Runtime } from '../runtime.ts';
import type { PublishExport } from './lazy-publisher.ts';
import { type ExportFormat, writeExport } from './write-export.ts';

/** The event the export function sends itself to run a job (InvocationType Event). */
export interface ExportJobEvent {
  exportJob: { userId: string; exportId: string };
}

export function isExportJobEvent(event: unknown): event is ExportJobEvent {
  const job = (event as Partial<ExportJobEvent> | null)?.exportJob;
  return typeof job?.userId === 'string' && typeof job.exportId === 'string';
}

export type InvokeAsync = (functionName: string, payload: ExportJobEvent) => Promise<void>;

/** Loads the Lambda client on the first job only: most exports never start one. */
export function lazyInvoker(env: Record<string, string | undefined> = process.env): InvokeAsync {
  let loading: Promise<InvokeAsync> | undefined;
  return async (functionName, payload) => {
    loading ??= import('./invoke.ts').then(({ createInvoker }) => createInvoker(env));
    return (await loading)(functionName, payload);
  };
}

/** The function runs its own jobs; Lambda names it in the environment, the local API by convention. */
export function exportFunctionName(runtime: Runtime, env = process.env): string {
  return env.AWS_LAMBDA_FUNCTION_NAME ?? `tasktracker-${runtime.config.stage}-tasks-export`;
}

/** Records a pending job and starts it in the background; the caller answers 202 with it. */
export async function startExportJob(
  runtime: Runtime,
  invoke: InvokeAsync,
  userId: string,
  request: { filter: Partial<TaskFilter>; format: ExportFormat },
): Promise<ExportJob> {
  const job = await createExportJob(runtime.context, userId, { ...request.filter, format: request.format });
  try {
    await invoke(exportFunctionName(runtime), { exportJob: { userId, exportId: job.exportId } });
  } catch (error) {
    const failure = { code: 'SERVICE_UNAVAILABLE', message: 'The export job could not be started' };
    await updateExportJob(runtime.context, userId, job.exportId, {
      status: 'failed',
      rows: 0,
      error: failure,
    });
    throw new TaskTrackerError('SERVICE_UNAVAILABLE', failure.message, undefined, { cause: error });
  }
  return job;
}

/** How often a running job writes its row count: often enough for a progress bar, cheap in writes. */
const PROGRESS_EVERY_MS = 1_000;

/**
 * The background invocation: streams the export to the bucket, writing progress as it goes, and ends
 * with the link or the error code. It never throws, so Lambda does not retry a job that failed for a
 * reason a retry would not mend; the job record says what happened.
 */
export async function runExportJob(
  runtime: Runtime,
  publish: PublishExport,
  event: ExportJobEvent,
  logger: Logger = runtime.logger,
): Promise<ExportJob['status']> {
  const { userId, exportId } = event.exportJob;
  const ctx = runtime.context;
  let rows = 0;
  try {
    const { job, request } = await claimExportJob(ctx, userId, exportId);
    if (job.status !== 'pending') return job.status;
    await updateExportJob(ctx, userId, exportId, { status: 'running', rows: 0 });
    const { format, ...filter } = request;
    let lastWrite = Date.now();
    let progress: Promise<unknown> = Promise.resolve();
    const outcome = await writeExport(runtime, publish, {
      userId,
      filter: filter as Partial<TaskFilter>,
      format,
      name: exportId,
      inline: false,
      onRows: (count) => {
        rows = count;
        if (Date.now() - lastWrite < PROGRESS_EVERY_MS) return;
        lastWrite = Date.now();
        progress = progress.then(() =>
          updateExportJob(ctx, userId, exportId, { status: 'running', rows: count }).catch(() => undefined),
        );
      },
    });
    await progress;
    if (outcome.kind !== 'file') throw new Error('a job always writes a file');
    const { url, expiresAt, bytes } = outcome;
    await updateExportJob(ctx, userId, exportId, { status: 'succeeded', rows, bytes, url, expiresAt });
    logger.info({ exportId, rows, bytes, parts: outcome.parts }, 'export job succeeded');
    return 'succeeded';
  } catch (error) {
    const code = error instanceof TaskTrackerError ? error.code : 'INTERNAL_SERVER_ERROR';
    const message = error instanceof TaskTrackerError ? error.message : 'The export failed';
    logger.error({ err: error, exportId }, 'export job failed');
    await updateExportJob(ctx, userId, exportId, { status: 'failed', rows, error: { code, message } }).catch(
      (cause: unknown) =>
        logger.error({ err: cause, exportId }, 'export job: the failure could not be recorded'),
    );
    return 'failed';
  }
}
