import { CategorySchema, ERROR_CODES, type ErrorCode, safeParse, TaskSchema } from '@tasktracker/core';
import * as z from 'zod/mini';
import type { Reply } from './serve.ts';

/** API Gateway's own answers (no Lambda involved), which carry `{message}` instead of our envelope. */
const GATEWAY_MESSAGES: Record<number, string[]> = {
  403: ['Missing Authentication Token', 'Forbidden'],
  413: ['Request Too Long'],
};

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * Why a reply is outside the API's contract, or undefined when it is inside. The contract, as the
 * product answers: a 2xx `{data}` or `{data,nextCursor}`; an export as CSV or JSON lines; a preflight
 * as an empty 204; a 4xx `{error:{code,message,correlationId,details?}}` whose code maps to that status
 * and whose correlationId is the X-Correlation-Id header; an empty 304 with its ETag (If-None-Match);
 * or API Gateway's `{message}` for its own 403 and 413. Never a 5xx.
 */
export function contractBreach(reply: Reply): string | undefined {
  const { status, json } = reply;
  const type = reply.headers.get('content-type') ?? '';
  if (status >= 500) return `status ${status}`;
  if (status === 204) return reply.text === '' ? undefined : 'a 204 with a body';
  if (status === 304) {
    if (reply.text !== '') return 'a 304 with a body';
    return reply.headers.get('etag') ? undefined : 'a 304 without an ETag';
  }
  if (/^(text\/csv|application\/x-ndjson)/.test(type))
    return status === 200 ? undefined : `an export body with status ${status}`;
  if (!isObject(json)) return `a body that is not a JSON object (${type}): ${reply.text.slice(0, 120)}`;
  const keys = Object.keys(json).sort().join(',');
  if (status < 300) {
    if (keys === 'data' || keys === 'data,nextCursor') return undefined;
    return `a ${status} with keys ${keys}`;
  }
  if (keys === 'message') {
    const allowed = GATEWAY_MESSAGES[status] ?? [];
    return allowed.includes(json.message as string) ? undefined : `gateway message ${status} ${json.message}`;
  }
  if (keys !== 'error' || !isObject(json.error)) return `a ${status} with keys ${keys}`;
  const error = json.error;
  const known = ERROR_CODES[error.code as ErrorCode];
  if (!known) return `unknown error code ${String(error.code)}`;
  if (known.status !== status) return `${String(error.code)} sent as ${status}`;
  if (typeof error.message !== 'string' || error.message === '') return 'an error without a message';
  if (error.correlationId !== reply.headers.get('x-correlation-id'))
    return 'the correlationId is not the X-Correlation-Id header';
  const extra = Object.keys(error).filter(
    (key) => !['code', 'message', 'correlationId', 'details'].includes(key),
  );
  return extra.length > 0 ? `extra error fields ${extra.join(',')}` : undefined;
}

const StrictTask = z.strictObject(TaskSchema.shape);
const StrictCategory = z.strictObject(CategorySchema.shape);
const SHAPES: Record<string, z.core.$ZodType> = {
  'POST /tasks': StrictTask,
  'GET /tasks': z.array(StrictTask),
  'GET /tasks/{id}': StrictTask,
  'PUT /tasks/{id}': StrictTask,
  'GET /categories': z.array(StrictCategory),
  'POST /categories': StrictCategory,
  'GET /categories/{id}': StrictCategory,
  'PUT /categories/{id}': StrictCategory,
};

/**
 * Why a successful reply's data is not what the route returns (a task, a list of categories, ...) with
 * no field more or less, or undefined. A polluted prototype or a stray field shows here.
 */
export function shapeBreach(route: string, reply: Reply): string | undefined {
  const schema = SHAPES[route];
  if (!schema || reply.status >= 300 || !isObject(reply.json)) return undefined;
  const parsed = safeParse(schema, reply.json.data);
  return parsed.success ? undefined : `${route} data: ${parsed.error.issues[0]?.message}`;
}
