import * as z from 'zod/mini';
import { type ExportJob, ExportJobSchema } from '../api/export-job.ts';
import {
  BulkResultEnvelopeSchema,
  type CategoryDeleted,
  CategoryDeletedSchema,
  CategoryEnvelopeSchema,
  CategoryPageEnvelopeSchema,
  DetailedHealthSchema,
  dataEnvelope,
  type ExportLink,
  ExportLinkSchema,
  HealthSchema,
  type TaskDeleted,
  TaskDeletedSchema,
  TaskEnvelopeSchema,
  TaskPageEnvelopeSchema,
} from '../api/responses.ts';
import type { CreateCategoryInput } from '../categories/create-input.ts';
import type { DeleteCategoryOptions } from '../categories/delete-options.ts';
import type { Category } from '../categories/schema.ts';
import type { UpdateCategoryInput } from '../categories/update-input.ts';
import type { BulkRequest } from '../tasks/bulk-request.ts';
import type { BulkResult } from '../tasks/bulk-result.ts';
import type { CreateTaskInput } from '../tasks/create-input.ts';
import type { ListTasksQuery, TaskFilterSchema } from '../tasks/filter.ts';
import type { Task, TaskPage } from '../tasks/schema.ts';
import type { UpdateTaskInput } from '../tasks/update-input.ts';
import { ETagCache } from './cache.ts';
import { DEFAULT_RETRY, type RetryOptions } from './retry.ts';
import { CLIENT_ROUTES as ROUTES } from './routes.ts';
import { type ApiReply, type CallOptions, createTransport, parseReply } from './transport.ts';

/** A bearer token, or a function asked for one before every attempt (so a refreshed one is used). */
export type TokenSource = string | (() => string | Promise<string>);

/**
 * An API key (API Gateway's usage plans), a bearer token (the Cognito authorizer, AuthMode cognito), or
 * both (AuthMode both: the token names the user, the key meters the client).
 */
export type Credentials = { apiKey: string; token?: TokenSource } | { token: TokenSource; apiKey?: string };

export type TaskTrackerClientOptions = Credentials & {
  /** The API's root: the stage URL (https://<id>.execute-api.<region>.amazonaws.com/dev) or tt local serve's. */
  baseUrl: string | URL;
  /** Any WHATWG fetch; the global one by default. Tests pass their own. */
  fetch?: typeof globalThis.fetch;
  /** Retries on 429, 5xx and lost answers; false turns them off. */
  retry?: Partial<RetryOptions> | false;
  /** Per attempt; API Gateway gives up after 29 s, so the default 30 s sees its 504. */
  timeoutMs?: number;
  /** Keep each GET's ETag and body and revalidate with If-None-Match: a 304 costs no body. */
  cache?: boolean | { maxEntries: number };
};

export interface CreateOptions extends CallOptions {
  /** Makes the POST safe to retry: a repeat replays the first answer. Generated per call if not given. */
  idempotencyKey?: string;
}

export interface WriteOptions extends CallOptions {
  /** If-Match: a version (3) or an ETag as a GET returned it. A mismatch is PRECONDITION_FAILED (412). */
  ifMatch?: number | string;
}

/** GET /tasks: core's query, so the same object works with tracker.tasks.list and the client. */
export type TaskQuery = Omit<ListTasksQuery, 'limit'> & { limit?: number };
export type ExportQuery = z.input<typeof TaskFilterSchema> & { format?: 'csv' | 'jsonl' };
export type ExportResult =
  | { kind: 'file'; format: 'csv' | 'jsonl'; contentType: string; text: string }
  | ({ kind: 'link' } & ExportLink)
  /** 202: too large or slow to answer in time, it runs as a job; follow it with client.exports.wait. */
  | { kind: 'job'; job: ExportJob };

export interface WaitOptions extends CallOptions {
  /** Between two looks at the job; 1 s by default. */
  intervalMs?: number;
  /** Called after each look, with the job as it stands (rows so far while running). */
  onProgress?: (job: ExportJob) => void;
}

const ExportJobEnvelopeSchema = dataEnvelope(ExportJobSchema);

const DEFAULT_TIMEOUT_MS = 30_000;
const DEFAULT_CACHE_ENTRIES = 500;

/** The HTTP API names a task's category `category` in a query; core and the task itself say categoryId. */
function taskQuery({ categoryId, ...rest }: Omit<TaskQuery, 'cursor'> & { cursor?: string | undefined }) {
  return { ...rest, category: categoryId };
}

function credentialHeaders(options: Credentials): () => Promise<Record<string, string>> {
  const { apiKey, token } = options;
  if (apiKey === undefined && token === undefined)
    throw new TypeError('createTaskTrackerClient: give an apiKey or a token');
  if (apiKey !== undefined && !apiKey) throw new TypeError('createTaskTrackerClient: the apiKey is empty');
  if (token !== undefined && !token) throw new TypeError('createTaskTrackerClient: the token is empty');
  const keyHeader: Record<string, string> = apiKey ? { 'x-api-key': apiKey } : {};
  if (token === undefined) return async () => keyHeader;
  return async () => {
    const value = typeof token === 'function' ? await token() : token;
    if (!value) throw new TypeError('createTaskTrackerClient: the token function gave no token');
    return { ...keyHeader, authorization: `Bearer ${value}` };
  };
}

const ifMatchHeader = (options: WriteOptions | undefined): Record<string, string> =>
  options?.ifMatch === undefined ? {} : { 'if-match': String(options.ifMatch) };

const idempotencyHeader = (options: CreateOptions | undefined) => ({
  'idempotency-key': options?.idempotencyKey ?? globalThis.crypto.randomUUID(),
});

function exportResult(reply: ApiReply, format: 'csv' | 'jsonl'): ExportResult {
  const contentType = reply.headers.get('content-type') ?? '';
  if (reply.status === 202) return { kind: 'job', job: parseReply(reply, ExportJobEnvelopeSchema).data };
  if (contentType.startsWith('application/json')) {
    return { kind: 'link', ...parseReply(reply, dataEnvelope(ExportLinkSchema)).data };
  }
  return { kind: 'file', format, contentType, text: reply.text };
}

/**
 * A typed client of the task tracker's HTTP API: every route, answers checked against core's schemas,
 * idempotent POSTs, retries with backoff, typed errors (TaskTrackerApiError). It imports schemas and
 * fetch only (no AWS SDK), so it runs in browsers and edge runtimes too.
 */
export function createTaskTrackerClient(options: TaskTrackerClientOptions) {
  const fetchImpl = options.fetch ?? globalThis.fetch.bind(globalThis);
  const cache = options.cache
    ? new ETagCache(options.cache === true ? DEFAULT_CACHE_ENTRIES : options.cache.maxEntries)
    : undefined;
  const send = createTransport({
    baseUrl: String(options.baseUrl),
    fetch: fetchImpl,
    auth: credentialHeaders(options),
    retry:
      options.retry === false ? { ...DEFAULT_RETRY, retries: 0 } : { ...DEFAULT_RETRY, ...options.retry },
    timeoutMs: options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
    cache,
  });

  const listTasks = async (query: TaskQuery = {}, call?: CallOptions): Promise<TaskPage> => {
    const reply = await send({ route: ROUTES.listTasks, query: taskQuery(query), options: call });
    const page = parseReply(reply, TaskPageEnvelopeSchema);
    return { items: page.data, nextCursor: page.nextCursor };
  };

  /** Every page from the query's cursor (or the first) to the last. */
  async function* taskPages(query: TaskQuery = {}, call?: CallOptions): AsyncGenerator<TaskPage> {
    let cursor = query.cursor;
    do {
      const page = await listTasks({ ...query, cursor }, call);
      yield page;
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
  }

  async function* iterateTasks(query: TaskQuery = {}, call?: CallOptions): AsyncGenerator<Task> {
    for await (const page of taskPages(query, call)) yield* page.items;
  }

  const tasks = {
    create: async (input: CreateTaskInput, call?: CreateOptions): Promise<Task> => {
      const headers = idempotencyHeader(call);
      const reply = await send({ route: ROUTES.createTask, body: input, headers, options: call });
      return parseReply(reply, TaskEnvelopeSchema).data;
    },
    get: async (taskId: string, call?: CallOptions): Promise<Task> =>
      parseReply(await send({ route: ROUTES.getTask, id: taskId, options: call }), TaskEnvelopeSchema).data,
    /** A partial update; `expectedVersion` in the input is the library's check (409 VERSION_CONFLICT). */
    update: async (taskId: string, input: UpdateTaskInput, call?: WriteOptions): Promise<Task> => {
      const request = { route: ROUTES.updateTask, id: taskId, body: input, headers: ifMatchHeader(call) };
      return parseReply(await send({ ...request, options: call }), TaskEnvelopeSchema).data;
    },
    delete: async (
      taskId: string,
      call?: WriteOptions & { expectedVersion?: number },
    ): Promise<TaskDeleted> => {
      const query = { expectedVersion: call?.expectedVersion };
      const request = { route: ROUTES.deleteTask, id: taskId, query, headers: ifMatchHeader(call) };
      return parseReply(await send({ ...request, options: call }), dataEnvelope(TaskDeletedSchema)).data;
    },
    /** One page; `nextCursor` continues it, null on the last page. */
    list: listTasks,
    /** Every page, one request each: `for await (const page of client.tasks.pages({ status: 'open' }))`. */
    pages: taskPages,
    /** Every matching task across all pages. */
    iterate: iterateTasks,
    /** complete, reopen, delete or move up to 1,000 tasks; per-item results, never all-or-nothing. */
    bulk: async (request: BulkRequest, call?: CreateOptions): Promise<BulkResult> => {
      const headers = idempotencyHeader(call);
      const reply = await send({ route: ROUTES.bulkTasks, body: request, headers, options: call });
      return parseReply(reply, BulkResultEnvelopeSchema).data;
    },
    /** The file itself, or a presigned link when it is too large for an API Gateway answer. */
    export: async (
      { categoryId, ...filter }: ExportQuery = {},
      call?: CallOptions,
    ): Promise<ExportResult> => {
      const query = { ...filter, category: categoryId };
      const accept = 'text/csv, application/x-ndjson, application/json';
      const reply = await send({ route: ROUTES.exportTasks, query, accept, options: call });
      return exportResult(reply, filter.format ?? 'csv');
    },
  };

  const getExport = async (exportId: string, call?: CallOptions): Promise<ExportJob> =>
    parseReply(await send({ route: ROUTES.getExport, id: exportId, options: call }), ExportJobEnvelopeSchema)
      .data;

  const exportJobs = {
    /** Starts an export job at once (async=true), whatever its size: the answer is the pending job. */
    start: async ({ categoryId, ...filter }: ExportQuery = {}, call?: CallOptions): Promise<ExportJob> => {
      const query = { ...filter, category: categoryId, async: 'true' };
      const reply = await send({ route: ROUTES.exportTasks, query, options: call });
      return parseReply(reply, ExportJobEnvelopeSchema).data;
    },
    /** The job as it stands: pending, running (rows so far), succeeded (url) or failed (error). */
    get: getExport,
    /** Looks at the job until it ends: succeeded (with its link) or failed (with its error code). */
    wait: async (exportId: string, call: WaitOptions = {}): Promise<ExportJob> => {
      for (;;) {
        const job = await getExport(exportId, call);
        call.onProgress?.(job);
        if (job.status === 'succeeded' || job.status === 'failed') return job;
        await new Promise((resolve) => setTimeout(resolve, call.intervalMs ?? 1_000));
        call.signal?.throwIfAborted();
      }
    },
  };

  const categories = {
    /** A user has tens of categories: one answer holds them all, by name. */
    list: async (call?: CallOptions): Promise<Category[]> =>
      parseReply(await send({ route: ROUTES.listCategories, options: call }), CategoryPageEnvelopeSchema)
        .data,
    create: async (input: CreateCategoryInput, call?: CreateOptions): Promise<Category> => {
      const headers = idempotencyHeader(call);
      const reply = await send({ route: ROUTES.createCategory, body: input, headers, options: call });
      return parseReply(reply, CategoryEnvelopeSchema).data;
    },
    get: async (categoryId: string, call?: CallOptions): Promise<Category> => {
      const reply = await send({ route: ROUTES.getCategory, id: categoryId, options: call });
      return parseReply(reply, CategoryEnvelopeSchema).data;
    },
    update: async (
      categoryId: string,
      input: UpdateCategoryInput,
      call?: WriteOptions,
    ): Promise<Category> => {
      const request = {
        route: ROUTES.updateCategory,
        id: categoryId,
        body: input,
        headers: ifMatchHeader(call),
      };
      return parseReply(await send({ ...request, options: call }), CategoryEnvelopeSchema).data;
    },
    /** A non-empty category needs `reassignTo` or `uncategorize: true` (else CATEGORY_NOT_EMPTY). */
    delete: async (
      categoryId: string,
      call?: DeleteCategoryOptions & WriteOptions,
    ): Promise<CategoryDeleted> => {
      const query = {
        reassignTo: call?.reassignTo,
        uncategorize: call?.uncategorize,
        expectedVersion: call?.expectedVersion,
      };
      const headers = ifMatchHeader(call);
      const reply = await send({
        route: ROUTES.deleteCategory,
        id: categoryId,
        query,
        headers,
        options: call,
      });
      return parseReply(reply, dataEnvelope(CategoryDeletedSchema)).data;
    },
  };

  const health = {
    /** Liveness, no key needed (the client sends its credentials anyway; they are ignored). */
    check: async (call?: CallOptions) =>
      parseReply(await send({ route: ROUTES.health, options: call }), dataEnvelope(HealthSchema)).data,
    /** Each table's reachability; a failing one is a SERVICE_UNAVAILABLE error (not retried) with the checks. */
    detailed: async (call?: CallOptions) => {
      const reply = await send({ route: ROUTES.detailedHealth, retry: false, options: call });
      return parseReply(reply, dataEnvelope(DetailedHealthSchema)).data;
    },
  };

  /** The API's OpenAPI 3.1 document, as the API itself serves it (no key needed). */
  const openapi = async (call?: CallOptions) =>
    parseReply(await send({ route: ROUTES.openApiDocument, options: call }), OpenApiDocumentSchema);

  return { tasks, exports: exportJobs, categories, health, openapi };
}

/** Only what identifies an OpenAPI document; the rest is the document's own business. */
const OpenApiDocumentSchema = z.looseObject({
  openapi: z.string(),
  info: z.looseObject({ title: z.string(), version: z.string() }),
  paths: z.record(z.string(), z.unknown()),
});

export type TaskTrackerClient = ReturnType<typeof createTaskTrackerClient>;
