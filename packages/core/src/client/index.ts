// @tasktracker/core/client: the typed HTTP client. Its modules import zod schemas and fetch only, never
// the AWS SDK or Node built-ins, so a browser or edge bundle carries the client and the schemas alone.

export type { ExportJob, ExportJobStatus } from '../api/export-job.ts';
export type {
  CategoryDeleted,
  DependencyCheck,
  DetailedHealth,
  ErrorEnvelope,
  ExportLink,
  Health,
  TaskDeleted,
} from '../api/responses.ts';
export type { CreateCategoryInput } from '../categories/create-input.ts';
export type { DeleteCategoryOptions } from '../categories/delete-options.ts';
export type { Category } from '../categories/schema.ts';
export type { UpdateCategoryInput } from '../categories/update-input.ts';
export type { ErrorCode } from '../errors.ts';
export type { BulkRequest } from '../tasks/bulk-request.ts';
export type { BulkItemResult, BulkItemStatus, BulkResult } from '../tasks/bulk-result.ts';
export type { CreateTaskInput } from '../tasks/create-input.ts';
export type { Task, TaskPage } from '../tasks/schema.ts';
export type { UpdateTaskInput } from '../tasks/update-input.ts';
export {
  type CreateOptions,
  type Credentials,
  createTaskTrackerClient,
  type ExportQuery,
  type ExportResult,
  type TaskQuery,
  type TaskTrackerClient,
  type TaskTrackerClientOptions,
  type WaitOptions,
  type WriteOptions,
} from './client.ts';
export {
  type ApiErrorCode,
  CLIENT_ERROR_CODES,
  type ClientErrorCode,
  isTaskTrackerApiError,
  TaskTrackerApiError,
} from './errors.ts';
export { DEFAULT_RETRY, type RetryOptions } from './retry.ts';
export { CLIENT_ROUTES } from './routes.ts';
export type { CallOptions } from './transport.ts';
