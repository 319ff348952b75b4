import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { deleteCategory } from './categories/delete.ts';
import type { CreateCategoryInput, DeleteCategoryOptions, UpdateCategoryInput } from './categories/schema.ts';
import { createCategory, getCategory, listCategories, updateCategory } from './categories/service.ts';
import type { TrackerContext } from './context.ts';
import { defaultTableNames, type TableNames } from './dynamo/tables.ts';
import type { IdempotencyRequest } from './idempotency/transactional.ts';
import { type RunOnceOptions, runOnce } from './idempotency/wrapper.ts';
import { type Logger, silentLogger } from './logger.ts';
import { deleteTasks, moveTasksToCategory, setTasksCompleted } from './tasks/bulk.ts';
import { createTasks, type NewTaskRequest } from './tasks/bulk-create.ts';
import { type ExportOptions, exportTasks } from './tasks/export.ts';
import { type ImportOptions, importTasks } from './tasks/import.ts';
import type { ImportRow } from './tasks/import-rows.ts';
import { iterateTasks, listTasks } from './tasks/list.ts';
import type { CreateTaskInput, ListTasksQuery, TaskFilter, UpdateTaskInput } from './tasks/schema.ts';
import { createTask, deleteTask, getTask, type IdempotencyOptions, updateTask } from './tasks/service.ts';
import { resolveTaskId } from './tasks/short-id.ts';

export interface TaskTrackerOptions {
  /** A DynamoDBClient or a DynamoDBDocumentClient; its endpoint, region and credentials are yours. */
  client: DynamoDBClient | DynamoDBDocumentClient;
  tables?: Partial<TableNames>;
  logger?: Logger;
  /** For tests: the clock that stamps createdAt/updatedAt and idempotency expiry. */
  now?: () => Date;
  idempotencyTtlSeconds?: number;
}

/** Wraps a DynamoDBClient in a document client that drops undefined attributes (optional fields). */
function documentClient(client: DynamoDBClient | DynamoDBDocumentClient): DynamoDBDocumentClient {
  if (client instanceof DynamoDBDocumentClient) return client;
  return DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } });
}

/** At debug level, one line per DynamoDB call: the command, the table and how long it took. */
function logEveryCall(doc: DynamoDBDocumentClient, logger: Logger): void {
  if (!logger.isLevelEnabled('debug')) return;
  doc.middlewareStack.add(
    (next, context) => async (args) => {
      const started = performance.now();
      const input = args.input as { TableName?: string };
      try {
        return await next(args);
      } finally {
        const ms = Math.round(performance.now() - started);
        logger.debug({ command: context.commandName, table: input.TableName, ms }, 'dynamodb call');
      }
    },
    { step: 'initialize', name: 'tasktrackerDebugLog' },
  );
}

/**
 * The library's front door. Every method takes the acting userId first: there is no way to reach
 * another user's data except by naming that user.
 */
export function createTaskTracker(options: TaskTrackerOptions) {
  const ctx: TrackerContext = {
    doc: documentClient(options.client),
    tables: { ...defaultTableNames(), ...options.tables },
    logger: options.logger ?? silentLogger(),
    now: options.now ?? (() => new Date()),
    idempotencyTtlSeconds: options.idempotencyTtlSeconds ?? 86_400,
  };
  logEveryCall(ctx.doc, ctx.logger);
  const ensureCategory = (userId: string) => (categoryId: string) => getCategory(ctx, userId, categoryId);
  return {
    context: ctx,
    tasks: {
      create: (userId: string, input: CreateTaskInput, opts?: IdempotencyOptions) =>
        createTask(ctx, userId, input, opts),
      createMany: (userId: string, requests: NewTaskRequest[], opts?: Parameters<typeof createTasks>[3]) =>
        createTasks(ctx, userId, requests, opts),
      get: (userId: string, taskId: string) => getTask(ctx, userId, taskId),
      /** A full id or the last characters of one (as the CLI shows them) → the full id. */
      resolveId: (userId: string, reference: string) => resolveTaskId(ctx, userId, reference),
      update: (userId: string, taskId: string, input: UpdateTaskInput) =>
        updateTask(ctx, userId, taskId, input),
      delete: (userId: string, taskId: string, opts?: { expectedVersion?: number }) =>
        deleteTask(ctx, userId, taskId, opts),
      list: (userId: string, query?: ListTasksQuery) => listTasks(ctx, userId, query),
      iterate: (userId: string, filter?: Partial<TaskFilter>) => iterateTasks(ctx, userId, filter),
      setCompleted: (userId: string, ids: string[], completed: boolean) =>
        setTasksCompleted(ctx, userId, ids, completed),
      deleteMany: (userId: string, ids: string[]) => deleteTasks(ctx, userId, ids),
      moveToCategory: (userId: string, ids: string[], categoryId: string | null) =>
        moveTasksToCategory(ctx, userId, ids, categoryId, ensureCategory(userId)),
      export: (userId: string, filter?: Partial<TaskFilter>, opts?: ExportOptions) =>
        exportTasks(ctx, userId, filter, opts),
      import: (userId: string, rows: Iterable<ImportRow> | AsyncIterable<ImportRow>, opts: ImportOptions) =>
        importTasks(ctx, userId, rows, opts),
    },
    categories: {
      create: (userId: string, input: CreateCategoryInput, opts?: IdempotencyOptions) =>
        createCategory(ctx, userId, input, opts),
      get: (userId: string, categoryId: string) => getCategory(ctx, userId, categoryId),
      list: (userId: string) => listCategories(ctx, userId),
      update: (userId: string, categoryId: string, input: UpdateCategoryInput) =>
        updateCategory(ctx, userId, categoryId, input),
      delete: (userId: string, categoryId: string, opts?: DeleteCategoryOptions) =>
        deleteCategory(ctx, userId, categoryId, opts),
    },
    idempotency: {
      /** Exactly-once for work with effects outside DynamoDB. */
      runOnce: <T>(request: IdempotencyRequest, work: () => Promise<T>, opts?: RunOnceOptions) =>
        runOnce(ctx, request, work, opts),
    },
  };
}

export type TaskTracker = ReturnType<typeof createTaskTracker>;
