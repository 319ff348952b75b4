import { isExportJobEvent, lazyInvoker, runExportJob } from '../exports/jobs.ts';
import { lazyPublisher } from '../exports/lazy-publisher.ts';
import type { ApiResponse, LambdaContext } from '../http/event.ts';
import { jsonResponse } from '../http/response.ts';
import { getExportRoute } from '../routes/exports/get.ts';
import { exportTasksRoute } from '../routes/tasks/export.ts';
import { sharedRuntime } from '../runtime.ts';
import { apiHandler } from './api.ts';

const publish = lazyPublisher();
const invoke = lazyInvoker();
const exportTasks = apiHandler((runtime) => exportTasksRoute(runtime, publish, invoke));
const getExport = apiHandler(getExportRoute);

/**
 * One function for exports: GET /tasks/export, GET /exports/{id}, and the export jobs it invokes
 * itself for (asynchronously), which run past API Gateway's 29 s within the function's own timeout.
 */
export const handler = async (event: unknown, context: LambdaContext): Promise<ApiResponse> => {
  if (isExportJobEvent(event)) {
    // Lambda drops an asynchronous invocation's result; a synchronous one (a test, a retry by hand) reads it.
    return jsonResponse(200, { data: { status: await runExportJob(sharedRuntime(), publish, event) } });
  }
  const resource = (event as { resource?: string } | null)?.resource;
  return resource === '/exports/{id}' ? getExport(event, context) : exportTasks(event, context);
};
