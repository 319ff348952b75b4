/**
 * One export through the export handler in a fresh process, so that its peak RSS is its own. As
 * `tt local serve` runs it: the handler answers GET /tasks/export?async=true with a job, its
 * asynchronous invocation runs here (a local Lambda Invoke endpoint), and GET /exports/{id} reports it.
 * `raw` instead walks the same tasks with a bare Query loop that only counts them: the floor.
 */

import { createTaskTracker, type ExportJob, keys } from '@tasktracker/core';
import { localDynamoClient } from '@tasktracker/local';
import { startLocalLambda } from '@tasktracker/local/api';
import { apiEvent, lambdaContext } from '../packages/handlers/test/support/events.ts';
import { countByQuery } from './lib/query-count.ts';

const [mode, userId, createdAfter] = process.argv.slice(2) as [string, string, string];
// Where the peak is: V8's heap or memory outside it (Buffers), sampled as the export runs.
const peaks = { heapTotalMB: 0, externalMB: 0 };
const sampler = setInterval(() => {
  const usage = process.memoryUsage();
  peaks.heapTotalMB = Math.max(peaks.heapTotalMB, usage.heapTotal / 2 ** 20);
  peaks.externalMB = Math.max(peaks.externalMB, usage.external / 2 ** 20);
}, 50);
const started = performance.now();
let rows = 0;
let bytes = 0;
if (mode === 'ours') {
  type Handler = (event: unknown, context: unknown) => Promise<{ statusCode: number; body: string }>;
  let handler: Handler | undefined;
  const lambda = await startLocalLambda({ resolve: async () => handler });
  process.env.AWS_ENDPOINT_URL_LAMBDA = lambda.endpoint;
  handler = (await import('../packages/handlers/src/functions/tasks-export.ts')).handler as Handler;
  const call = async (options: Parameters<typeof apiEvent>[0]) => {
    const response = await handler?.(apiEvent({ ...options, apiKeyId: userId }), lambdaContext());
    return {
      status: response?.statusCode,
      job: (JSON.parse(response?.body ?? '{}') as { data: ExportJob }).data,
    };
  };
  const start = await call({
    method: 'GET',
    resource: '/tasks/export',
    query: { async: 'true', createdAfter },
  });
  if (start.status !== 202) throw new Error(`expected 202, got ${start.status}`);
  await lambda.idle();
  const done = await call({
    method: 'GET',
    resource: '/exports/{id}',
    pathParameters: { id: start.job.exportId },
  });
  if (done.job.status !== 'succeeded') throw new Error(`the job ended ${JSON.stringify(done.job)}`);
  rows = done.job.rows;
  bytes = done.job.bytes ?? 0;
  await lambda.close();
} else {
  const tracker = createTaskTracker({
    client: localDynamoClient(process.env.AWS_ENDPOINT_URL_DYNAMODB ?? ''),
  });
  rows = await countByQuery(
    tracker.context.doc,
    process.env.TASKS_TABLE ?? '',
    userId,
    keys.ulidLowerBound(new Date(createdAfter)),
  );
}
const ms = performance.now() - started;
clearInterval(sampler);
// The last line: the handler writes its EMF metric lines to stdout before it.
process.stdout.write(
  `\n${JSON.stringify({ mode, rows, bytes, ms, maxRssMB: process.resourceUsage().maxRSS / 1024, ...peaks })}\n`,
);
