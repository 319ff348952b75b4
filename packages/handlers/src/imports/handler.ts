import type { LambdaContext } from '../http/event.ts';
import { emfLine } from '../http/metrics.ts';
import { S3EventSchema } from './event.ts';
import { type ImportDeps, importRecord, type RecordOutcome, writeInvocationLog } from './process.ts';

export interface ImportSummary {
  records: RecordOutcome['item'][];
}

/** Thrown after every record was handled, so that Lambda retries the event and finally dead-letters it. */
export class RetryableImportFailure extends Error {
  override readonly name = 'RetryableImportFailure';
}

/**
 * The S3 ObjectCreated handler. Records are imported one after another (a file's rows already go in
 * parallel transactions); each gets its own invocation-log item. Transient failures make the whole
 * invocation fail after the others are done: the retry is safe, rows already written are duplicates.
 */
export function createImportHandler(deps: ImportDeps) {
  let coldStart = true;
  return async (event: unknown, context: LambdaContext): Promise<ImportSummary> => {
    const logger = deps.runtime.logger.child({
      awsRequestId: context.awsRequestId,
      functionName: context.functionName,
      coldStart,
    });
    coldStart = false;
    const parsed = S3EventSchema.safeParse(event);
    const records = parsed.success ? parsed.data.Records : [];
    logger.info({ records: records.length }, 'import event');
    const outcomes: RecordOutcome[] = [];
    for (const record of records) {
      const outcome = await importRecord(deps, record, context, logger);
      try {
        await writeInvocationLog(deps.runtime, outcome.item);
      } catch (error) {
        logger.error({ err: error, requestId: outcome.item.requestId }, 'invocation log not written');
        outcome.retry = true;
      }
      logger.info({ ...outcome.item, rejectedRows: undefined }, 'import record done');
      outcomes.push(outcome);
    }
    const total = (pick: (item: RecordOutcome['item']) => number) =>
      outcomes.reduce((sum, outcome) => sum + pick(outcome.item), 0);
    deps.runtime.writeMetrics(
      emfLine({
        namespace: deps.runtime.env.METRICS_NAMESPACE,
        dimensions: { Service: 'tasktracker', Route: 'S3 imports' },
        metrics: [
          { name: 'ImportFiles', unit: 'Count', value: outcomes.length },
          {
            name: 'ImportFilesFailed',
            unit: 'Count',
            value: outcomes.filter((o) => o.item.status === 'failed').length,
          },
          { name: 'TasksImported', unit: 'Count', value: total((item) => item.imported) },
          { name: 'ImportRowsRejected', unit: 'Count', value: total((item) => item.rejected) },
        ],
        properties: { awsRequestId: context.awsRequestId, stage: deps.runtime.config.stage },
      }),
    );
    const retryable = outcomes.filter((outcome) => outcome.retry).length;
    if (retryable > 0)
      throw new RetryableImportFailure(`${retryable} of ${outcomes.length} records failed transiently`);
    return { records: outcomes.map((outcome) => outcome.item) };
  };
}
