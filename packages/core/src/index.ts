export { type Config, ConfigError, EnvSchema, loadConfig } from './config.ts';
export type { TrackerContext } from './context.ts';
export {
  ERROR_CODES,
  type ErrorCode,
  type ErrorDetail,
  isTaskTrackerError,
  TaskTrackerError,
  toTaskTrackerError,
} from './errors.ts';
export { IsoDateTimeSchema, UlidSchema, UserIdSchema } from './ids.ts';
export { createLogger, LOG_LEVELS, type Logger, type LogLevel, REDACTED_PATHS, silentLogger } from './logger.ts';
export { parseInput } from './validation.ts';

export * as keys from './dynamo/keys.ts';
export { encodeCursor, decodeCursor } from './dynamo/cursor.ts';
export {
  CATEGORIES_KEY,
  createTableInput,
  defaultTableNames,
  IDEMPOTENCY_KEY,
  IDEMPOTENCY_TTL_ATTRIBUTE,
  TABLE_DEFINITIONS,
  type TableDefinition,
  type TableNames,
  TASK_INDEXES,
  TASKS_KEY,
} from './dynamo/tables.ts';

export * from './tasks/schema.ts';
export * from './categories/schema.ts';
export { TASK_COLUMNS, neutraliseCell, restoreCell, toTaskRecord, type TaskRecord } from './tasks/csv.ts';
export type { BulkItemResult, BulkItemStatus, BulkResult } from './tasks/bulk.ts';
export { MAX_BULK_IDS } from './tasks/bulk.ts';
export type { CreatedItem, NewTaskRequest } from './tasks/bulk-create.ts';
export type { ExportFormat, ExportOptions } from './tasks/export.ts';

export {
  canonicalJson,
  generateIdempotencyKey,
  IdempotencyKeySchema,
  requestFingerprint,
  validateIdempotencyKey,
} from './idempotency/key.ts';
export type { IdempotencyRequest, Outcome } from './idempotency/transactional.ts';

export { createTaskTracker, type TaskTracker, type TaskTrackerOptions } from './tracker.ts';
