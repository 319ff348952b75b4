import type { CreateCategoryInput } from './categories/create-input.ts';
import { deleteCategory } from './categories/delete.ts';
import type { DeleteCategoryOptions } from './categories/delete-options.ts';
import { createCategory, getCategory, listCategories, updateCategory } from './categories/service.ts';
import type { UpdateCategoryInput } from './categories/update-input.ts';
import { createTrackerContext, type TrackerContextOptions } from './context.ts';
import type { IdempotencyRequest } from './idempotency/transactional.ts';
import { type RunOnceOptions, runOnce } from './idempotency/wrapper.ts';
import { deleteTasks, moveTasksToCategory, setTasksCompleted } from './tasks/bulk.ts';
import { createTasks, type NewTaskRequest } from './tasks/bulk-create.ts';
import type { CreateTaskInput } from './tasks/create-input.ts';
import { type ExportOptions, exportTasks } from './tasks/export.ts';
import type { ListTasksQuery, TaskFilter } from './tasks/filter.ts';
import { type ImportOptions, importTasks } from './tasks/import.ts';
import type { ImportRow } from './tasks/import-rows.ts';
import { iterateTasks, listTasks } from './tasks/list.ts';
import { createTask, deleteTask, getTask, type IdempotencyOptions, updateTask } from './tasks/service.ts';
import { resolveTaskId } from './tasks/short-id.ts';
import type { UpdateTaskInput } from './tasks/update-input.ts';

export type TaskTrackerOptions = TrackerContextOptions;

/**
 * The library's front door. Every method takes the acting userId first: there is no way to reach
 * another user's data except by naming that user. It binds every service, so whatever imports it
 * bundles all of them; a Lambda handler calls the service functions with createTrackerContext().
 */
export function createTaskTracker(options: TaskTrackerOptions) {
  const ctx = createTrackerContext(options);
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
