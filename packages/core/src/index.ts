export * from './api/export-job.ts';
export * from './api/responses.ts';
export * from './categories/create-input.ts';
export { deleteCategory } from './categories/delete.ts';
export * from './categories/delete-options.ts';
export * from './categories/fields.ts';
export * from './categories/schema.ts';
export { createCategory, getCategory, listCategories, updateCategory } from './categories/service.ts';
export * from './categories/update-input.ts';
export { type Config, ConfigError, EnvSchema, loadConfig, parseEnv } from './config.ts';
export { createTrackerContext, type TrackerContext, type TrackerContextOptions } from './context.ts';
export { decodeCursor, encodeCursor } from './dynamo/cursor.ts';
export { type EnsureTablesOptions, ensureTables, TableSetupError } from './dynamo/ensure-tables.ts';
export * as keys from './dynamo/keys.ts';
export {
  CATEGORIES_KEY,
  createTableInput,
  defaultTableNames,
  IDEMPOTENCY_KEY,
  IDEMPOTENCY_TTL_ATTRIBUTE,
  INVOCATION_LOG_KEY,
  TABLE_DEFINITIONS,
  TASK_INDEXES,
  TASKS_KEY,
  type TableDefinition,
  type TableNames,
} from './dynamo/tables.ts';
export {
  ERROR_CODES,
  type ErrorCode,
  type ErrorDetail,
  isTaskTrackerError,
  TaskTrackerError,
  toTaskTrackerError,
} from './errors.ts';
export {
  claimExportJob,
  createExportJob,
  EXPORT_JOB_TTL_SECONDS,
  type ExportJobChange,
  type ExportJobRequest,
  getExportJob,
  updateExportJob,
} from './exports/store.ts';
export {
  canonicalJson,
  generateIdempotencyKey,
  IdempotencyKeySchema,
  requestFingerprint,
  validateIdempotencyKey,
} from './idempotency/key.ts';
export type { IdempotencyRequest, Outcome } from './idempotency/transactional.ts';
export { type RunOnceOptions, runOnce } from './idempotency/wrapper.ts';
export { IsoDateTimeSchema, UlidSchema, UserIdSchema } from './ids.ts';
export {
  createLogger,
  LOG_LEVELS,
  type Logger,
  type LogLevel,
  silentLogger,
} from './logger.ts';
export { isSecretKey, REDACTED, redactSecrets } from './redact.ts';
export {
  BulkIdsSchema,
  deleteTasks,
  MAX_BULK_IDS,
  moveTasksToCategory,
  setTasksCompleted,
} from './tasks/bulk.ts';
export { type CreatedItem, createTasks, type NewTaskRequest } from './tasks/bulk-create.ts';
export * from './tasks/bulk-request.ts';
export * from './tasks/bulk-result.ts';
export * from './tasks/create-input.ts';
export {
  CSV_FORMAT,
  neutraliseCell,
  restoreCell,
  TASK_COLUMNS,
  type TaskRecord,
  toTaskRecord,
} from './tasks/csv.ts';
export { type ExportFormat, type ExportOptions, exportTaskChunks, exportTasks } from './tasks/export.ts';
export * from './tasks/fields.ts';
export * from './tasks/filter.ts';
export { type ImportOptions, type ImportReport, importTasks } from './tasks/import.ts';
export {
  formatOf,
  type ImportFormat,
  type ImportRow,
  parseImportFile,
  UnreadableFile,
} from './tasks/import-rows.ts';
export { iterateTasks, listTasks } from './tasks/list.ts';
export * from './tasks/schema.ts';
export { createTask, deleteTask, getTask, type IdempotencyOptions, updateTask } from './tasks/service.ts';
export { resolveTaskId } from './tasks/short-id.ts';
export * from './tasks/update-input.ts';
export { createTaskTracker, type TaskTracker, type TaskTrackerOptions } from './tracker.ts';
export { changesSomething, integerFromText, parseInput, safeParse } from './validation.ts';
