import {
  CreateCategoryInputSchema,
  CreateTaskInputSchema,
  type ErrorCode,
  ExportIdParamsSchema,
  ExportJobSchema,
  UpdateCategoryInputSchema,
  UpdateTaskInputSchema,
} from '@tasktracker/core';
import type * as z from 'zod/mini';
import { DeleteCategoryQuerySchema } from '../routes/categories/delete.ts';
import { IdParamsSchema } from '../routes/params.ts';
import { BulkRequestSchema } from '../routes/tasks/bulk.ts';
import { DeleteTaskQuerySchema } from '../routes/tasks/delete.ts';
import { ExportQuerySchema } from '../routes/tasks/export.ts';
import { ListQuerySchema } from '../routes/tasks/list.ts';
import {
  BulkResultSchema,
  CategoryDeletedSchema,
  CategorySchema,
  DetailedHealthSchema,
  dataOf,
  ExportLinkSchema,
  HealthSchema,
  pageOf,
  TaskDeletedSchema,
  TaskSchema,
} from './responses.ts';

/** One representation of a success: a zod schema, or plain JSON Schema for what no zod schema makes. */
export interface MediaContract {
  schema: z.core.$ZodType | { json: Record<string, unknown> };
  example?: unknown;
}

/**
 * What one route of API_ROUTES promises, beyond what the route table says. The schemas are the very
 * objects the route validates with (a test builds every route and compares them), so the document and
 * the validation cannot drift apart.
 */
export interface OperationContract {
  operationId: string;
  summary: string;
  description?: string;
  tag: 'tasks' | 'categories' | 'health' | 'contract';
  params?: z.core.$ZodType;
  query?: z.core.$ZodType;
  body?: z.core.$ZodType;
  /** The name of the body's API Gateway model (and of its component schema). */
  bodyModel?: string;
  bodyExample?: unknown;
  /** Reads the Idempotency-Key header. */
  idempotent?: boolean;
  /** A read of user data: ETag, Cache-Control, If-None-Match and 304. */
  conditionalRead?: boolean;
  /** A change that takes If-Match. */
  conditionalWrite?: boolean;
  /** Where a create's answer holds the new id: the document links it to the operations on `{id}`. */
  createdId?: string;
  success: { status: number; description: string; content: Record<string, MediaContract> };
  /** A 202 beside the success: the work goes on in the background (an export job). */
  accepted?: { description: string; content: Record<string, MediaContract> };
  /** The handler's own error codes for this route, beyond the ones every route can answer. */
  errors: ErrorCode[];
  /** Rules across several query parameters, which no parameter schema can say: a 400 when broken. */
  crossParameterRules?: string[];
}

const JSON_TYPE = 'application/json';
const ULID = '01JV4Q5C3N2M8K7R6T5W4X3Y2Z';
const CATEGORY = '01JV4Q5C3N2M8K7R6T5W4X3Y30';
const NOW = '2026-05-01T09:30:00.000Z';

const TASK_EXAMPLE = {
  userId: 'local-3f1c9b7a2e4d6c8b0a1f',
  taskId: ULID,
  title: 'Buy milk',
  completed: false,
  priority: 'medium',
  categoryId: CATEGORY,
  dueDate: '2026-05-02',
  createdAt: NOW,
  updatedAt: NOW,
  version: 1,
};
const CATEGORY_EXAMPLE = {
  userId: 'local-3f1c9b7a2e4d6c8b0a1f',
  categoryId: CATEGORY,
  name: 'Groceries',
  color: '#1E90FF',
  taskCount: 3,
  createdAt: NOW,
  updatedAt: NOW,
  version: 1,
};

const EXPORT_JOB_EXAMPLE = {
  exportId: ULID,
  status: 'pending',
  format: 'csv',
  rows: 0,
  createdAt: NOW,
  updatedAt: NOW,
};
const json = (schema: z.core.$ZodType, example?: unknown): Record<string, MediaContract> => ({
  [JSON_TYPE]: example === undefined ? { schema } : { schema, example },
});

const RANGES_IN_ORDER =
  'createdAfter must not be later than createdBefore, nor dueAfter later than dueBefore (a due bound ' +
  'covers its whole day): a reversed range is a 400 VALIDATION_ERROR, never an empty list. A created ' +
  'bound before 1970 is allowed: no task is older, so createdAfter then means all tasks and ' +
  'createdBefore none.';

/** Keyed by `${method} ${path}` of API_ROUTES. */
export const OPERATIONS: Record<string, OperationContract> = {
  'POST /tasks': {
    operationId: 'createTask',
    summary: 'Create a task',
    tag: 'tasks',
    body: CreateTaskInputSchema,
    bodyModel: 'CreateTaskInput',
    bodyExample: { title: 'Buy milk', priority: 'high', dueDate: '2026-05-02' },
    idempotent: true,
    createdId: '/data/taskId',
    success: {
      status: 201,
      description: 'The task as stored.',
      content: json(dataOf(TaskSchema), { data: TASK_EXAMPLE }),
    },
    errors: ['RESOURCE_NOT_FOUND', 'PAYLOAD_TOO_LARGE', 'IDEMPOTENCY_IN_PROGRESS', 'IDEMPOTENCY_KEY_REUSED'],
  },
  'GET /tasks': {
    operationId: 'listTasks',
    summary: 'List tasks, filtered, sorted and paged',
    description:
      'Pages of up to `limit` tasks; pass `nextCursor` back as `cursor` for the next page (it is null on ' +
      'the last one). A cursor belongs to its filters: with others it is 400 INVALID_CURSOR.',
    tag: 'tasks',
    query: ListQuerySchema,
    conditionalRead: true,
    success: {
      status: 200,
      description: 'One page of tasks.',
      content: json(pageOf(TaskSchema), { data: [TASK_EXAMPLE], nextCursor: null }),
    },
    errors: ['INVALID_CURSOR'],
    crossParameterRules: [RANGES_IN_ORDER],
  },
  'GET /tasks/{id}': {
    operationId: 'getTask',
    summary: 'Read a task',
    tag: 'tasks',
    params: IdParamsSchema,
    conditionalRead: true,
    success: {
      status: 200,
      description: 'The task.',
      content: json(dataOf(TaskSchema), { data: TASK_EXAMPLE }),
    },
    errors: ['RESOURCE_NOT_FOUND'],
  },
  'PUT /tasks/{id}': {
    operationId: 'updateTask',
    summary: 'Change a task',
    description:
      'Absent fields stay as they are; null clears an optional one. At least one field must change.',
    tag: 'tasks',
    params: IdParamsSchema,
    body: UpdateTaskInputSchema,
    bodyModel: 'UpdateTaskInput',
    bodyExample: { completed: true, expectedVersion: 1 },
    conditionalWrite: true,
    success: {
      status: 200,
      description: 'The task as now stored.',
      content: json(dataOf(TaskSchema), { data: { ...TASK_EXAMPLE, completed: true, version: 2 } }),
    },
    errors: ['RESOURCE_NOT_FOUND', 'PRECONDITION_FAILED', 'VERSION_CONFLICT', 'PAYLOAD_TOO_LARGE'],
  },
  'DELETE /tasks/{id}': {
    operationId: 'deleteTask',
    summary: 'Delete a task',
    tag: 'tasks',
    params: IdParamsSchema,
    query: DeleteTaskQuerySchema,
    conditionalWrite: true,
    success: {
      status: 200,
      description: 'The task is gone.',
      content: json(dataOf(TaskDeletedSchema), { data: { taskId: ULID, deleted: true } }),
    },
    errors: ['RESOURCE_NOT_FOUND', 'PRECONDITION_FAILED', 'VERSION_CONFLICT'],
  },
  'POST /tasks/bulk': {
    operationId: 'bulkTasks',
    summary: 'Complete, reopen, delete or move up to 1,000 tasks',
    description:
      'Per-item results, never all-or-nothing: each id ends updated (or deleted), not_found, conflict or failed.',
    tag: 'tasks',
    body: BulkRequestSchema,
    bodyModel: 'BulkTasksRequest',
    bodyExample: { action: 'complete', ids: [ULID] },
    idempotent: true,
    success: {
      status: 200,
      description: 'What happened to each id.',
      content: json(dataOf(BulkResultSchema), {
        data: {
          results: [{ id: ULID, status: 'updated' }],
          counts: { updated: 1, deleted: 0, not_found: 0, conflict: 0, failed: 0 },
        },
      }),
    },
    errors: ['RESOURCE_NOT_FOUND', 'PAYLOAD_TOO_LARGE', 'IDEMPOTENCY_IN_PROGRESS', 'IDEMPOTENCY_KEY_REUSED'],
  },
  'GET /tasks/export': {
    operationId: 'exportTasks',
    summary: 'Export the filtered tasks as CSV or JSON Lines',
    description:
      'The file itself when it fits in an API Gateway response; a larger one is streamed to the bucket, ' +
      'where its link works for 15 minutes, and the answer is a JSON link to it. An export that would not ' +
      'finish well inside the 29 s of API Gateway, or one asked for with async=true, becomes a job: the ' +
      'answer is 202 with the job (Location: /exports/{id}), to follow with GET /exports/{id}.',
    tag: 'tasks',
    query: ExportQuerySchema,
    success: {
      status: 200,
      description: 'The file (Content-Disposition: attachment), or a link to a large one.',
      content: {
        'text/csv': { schema: { json: { type: 'string' } }, example: `taskId,title\r\n${ULID},Buy milk\r\n` },
        'application/x-ndjson': { schema: { json: { type: 'string' } } },
        [JSON_TYPE]: { schema: dataOf(ExportLinkSchema) },
      },
    },
    accepted: {
      description: 'An export job, started: follow it with GET /exports/{id}.',
      content: json(dataOf(ExportJobSchema), { data: EXPORT_JOB_EXAMPLE }),
    },
    errors: ['PAYLOAD_TOO_LARGE', 'SERVICE_UNAVAILABLE'],
    crossParameterRules: [RANGES_IN_ORDER],
  },
  'GET /exports/{id}': {
    operationId: 'getExport',
    summary: 'Follow an export job',
    description:
      'pending, then running (with the rows written so far), then succeeded (rows, bytes, and a link that ' +
      "works until expiresAt) or failed (an error code). Jobs are kept for 7 days; another user's job is " +
      'not found.',
    tag: 'tasks',
    params: ExportIdParamsSchema,
    success: {
      status: 200,
      description: 'The job as it stands.',
      content: json(dataOf(ExportJobSchema), {
        data: { ...EXPORT_JOB_EXAMPLE, status: 'running', rows: 120000, updatedAt: NOW },
      }),
    },
    errors: ['RESOURCE_NOT_FOUND'],
  },
  'GET /categories': {
    operationId: 'listCategories',
    summary: 'List categories',
    description: 'A user has tens of categories: one page, so nextCursor is always null.',
    tag: 'categories',
    conditionalRead: true,
    success: {
      status: 200,
      description: 'Every category, with its task count.',
      content: json(pageOf(CategorySchema), { data: [CATEGORY_EXAMPLE], nextCursor: null }),
    },
    errors: [],
  },
  'POST /categories': {
    operationId: 'createCategory',
    summary: 'Create a category',
    tag: 'categories',
    body: CreateCategoryInputSchema,
    bodyModel: 'CreateCategoryInput',
    bodyExample: { name: 'Groceries', color: '#1E90FF' },
    idempotent: true,
    createdId: '/data/categoryId',
    success: {
      status: 201,
      description: 'The category as stored.',
      content: json(dataOf(CategorySchema), { data: { ...CATEGORY_EXAMPLE, taskCount: 0 } }),
    },
    errors: ['CATEGORY_NAME_TAKEN', 'PAYLOAD_TOO_LARGE', 'IDEMPOTENCY_IN_PROGRESS', 'IDEMPOTENCY_KEY_REUSED'],
  },
  'GET /categories/{id}': {
    operationId: 'getCategory',
    summary: 'Read a category',
    tag: 'categories',
    params: IdParamsSchema,
    conditionalRead: true,
    success: {
      status: 200,
      description: 'The category.',
      content: json(dataOf(CategorySchema), { data: CATEGORY_EXAMPLE }),
    },
    errors: ['RESOURCE_NOT_FOUND'],
  },
  'PUT /categories/{id}': {
    operationId: 'updateCategory',
    summary: 'Rename, recolour or re-icon a category',
    tag: 'categories',
    params: IdParamsSchema,
    body: UpdateCategoryInputSchema,
    bodyModel: 'UpdateCategoryInput',
    bodyExample: { name: 'Shopping', expectedVersion: 1 },
    conditionalWrite: true,
    success: {
      status: 200,
      description: 'The category as now stored.',
      content: json(dataOf(CategorySchema), { data: { ...CATEGORY_EXAMPLE, name: 'Shopping', version: 2 } }),
    },
    errors: [
      'RESOURCE_NOT_FOUND',
      'PRECONDITION_FAILED',
      'VERSION_CONFLICT',
      'CATEGORY_NAME_TAKEN',
      'PAYLOAD_TOO_LARGE',
    ],
  },
  'DELETE /categories/{id}': {
    operationId: 'deleteCategory',
    summary: 'Delete a category',
    description:
      'A category that still has tasks is 409 CATEGORY_NOT_EMPTY unless its tasks are moved (reassignTo) or ' +
      'left without a category (uncategorize=true).',
    tag: 'categories',
    params: IdParamsSchema,
    query: DeleteCategoryQuerySchema,
    conditionalWrite: true,
    success: {
      status: 200,
      description: 'The category is gone; movedTasks says how many tasks moved or lost it.',
      content: json(dataOf(CategoryDeletedSchema), {
        data: { categoryId: CATEGORY, deleted: true, movedTasks: 0 },
      }),
    },
    errors: ['RESOURCE_NOT_FOUND', 'PRECONDITION_FAILED', 'CATEGORY_NOT_EMPTY'],
    crossParameterRules: [
      'reassignTo and uncategorize=true exclude each other: both is a 400 VALIDATION_ERROR.',
    ],
  },
  'GET /health': {
    operationId: 'health',
    summary: 'Liveness',
    tag: 'health',
    success: {
      status: 200,
      description: 'The function answers (no table is touched).',
      content: json(dataOf(HealthSchema), { data: { status: 'ok', stage: 'dev', time: NOW } }),
    },
    errors: [],
  },
  'GET /health/detailed': {
    operationId: 'detailedHealth',
    summary: 'Readiness: every table, with its latency',
    tag: 'health',
    success: {
      status: 200,
      description: 'Every table answered.',
      content: json(dataOf(DetailedHealthSchema), {
        data: { status: 'ok', checks: [{ name: 'tasks', status: 'ok', latencyMs: 4 }] },
      }),
    },
    errors: ['SERVICE_UNAVAILABLE'],
  },
  'GET /openapi.json': {
    operationId: 'openApiDocument',
    summary: 'This document',
    tag: 'contract',
    success: {
      status: 200,
      description: 'The OpenAPI 3.1 document of the API, generated from the schemas that validate requests.',
      content: { [JSON_TYPE]: { schema: { json: { type: 'object', required: ['openapi', 'paths'] } } } },
    },
    errors: [],
  },
};
