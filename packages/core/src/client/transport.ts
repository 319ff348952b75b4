import * as z from 'zod/mini';
import type { ETagCache } from './cache.ts';
import { errorFromReply, invalidResponse, TaskTrackerApiError } from './errors.ts';
import { backoffDelay, parseRetryAfter, type RetryOptions } from './retry.ts';
import type { ClientRoute } from './routes.ts';

export interface CallOptions {
  /** Aborts the call, retries and waits included; the abort's reason is thrown as is. */
  signal?: AbortSignal;
  /** Sent as X-Correlation-Id on every attempt of the call; by default one is made per call. */
  correlationId?: string;
}

export interface ApiRequest {
  route: ClientRoute;
  id?: string;
  query?: Record<string, string | number | boolean | null | undefined>;
  body?: unknown;
  /** Lower-case names: idempotency-key, if-match. */
  headers?: Record<string, string>;
  accept?: string;
  /** false for answers that are not transient even when they are a 5xx (a failing health check). */
  retry?: boolean;
  options?: CallOptions | undefined;
}

export interface ApiReply {
  status: number;
  headers: Headers;
  text: string;
  correlationId: string;
}

export interface TransportOptions {
  baseUrl: string;
  fetch: typeof globalThis.fetch;
  /** The credential headers, asked for on every attempt so that a refreshed token is used. */
  auth: () => Promise<Record<string, string>>;
  retry: RetryOptions;
  timeoutMs: number;
  cache: ETagCache | undefined;
}

function urlOf(baseUrl: string, request: ApiRequest): string {
  let path: string = request.route.path;
  if (path.includes('{id}')) {
    if (!request.id)
      throw new TypeError(`${request.route.method} ${path}: the id must be a non-empty string`);
    path = path.replace('{id}', encodeURIComponent(request.id));
  }
  const query = new URLSearchParams();
  for (const [name, value] of Object.entries(request.query ?? {})) {
    if (value !== undefined && value !== null) query.set(name, String(value));
  }
  const search = query.toString();
  return `${baseUrl}${path}${search ? `?${search}` : ''}`;
}

function networkError(error: unknown, correlationId: string, timeoutMs: number): TaskTrackerApiError {
  const timedOut = error instanceof Error && error.name === 'TimeoutError';
  const cause = error instanceof Error && error.cause instanceof Error ? `: ${error.cause.message}` : '';
  const reason = error instanceof Error ? `${error.message}${cause}` : String(error);
  return new TaskTrackerApiError(
    {
      code: 'NETWORK_ERROR',
      status: 0,
      message: timedOut ? `No answer within ${timeoutMs} ms` : `The API could not be reached (${reason})`,
      correlationId,
    },
    { cause: error },
  );
}

/** Worth another attempt: throttled, a server or gateway failure, a run still going, or no answer. */
function isTransient(error: TaskTrackerApiError): boolean {
  return (
    error.code === 'NETWORK_ERROR' ||
    error.code === 'IDEMPOTENCY_IN_PROGRESS' ||
    error.status === 429 ||
    error.status >= 500
  );
}

/**
 * Sends one call: its attempts, each with its own timeout, and the waits between them. GETs, PUTs,
 * DELETEs and POSTs with an Idempotency-Key are idempotent and retried on any transient failure; any
 * other request only on 429, which says it was not processed.
 */
export function createTransport(options: TransportOptions) {
  const { retry, timeoutMs, cache } = options;
  const baseUrl = options.baseUrl.replace(/\/+$/, '');

  async function attempt(url: string, request: ApiRequest, headers: Record<string, string>) {
    const userSignal = request.options?.signal;
    const timeout = AbortSignal.timeout(timeoutMs);
    const response = await options.fetch(url, {
      method: request.route.method,
      headers: { ...headers, ...(await options.auth()) },
      ...(request.body === undefined ? {} : { body: JSON.stringify(request.body) }),
      signal: userSignal ? AbortSignal.any([userSignal, timeout]) : timeout,
    });
    // The body is read under the same signals: an answer that stalls halfway also times out.
    return { status: response.status, headers: response.headers, text: await response.text() };
  }

  return async function send(request: ApiRequest): Promise<ApiReply> {
    const url = urlOf(baseUrl, request);
    const signal = request.options?.signal;
    const correlationId = request.options?.correlationId ?? globalThis.crypto.randomUUID();
    const method = request.route.method;
    const kept = method === 'GET' ? cache?.get(url) : undefined;
    const headers: Record<string, string> = {
      accept: request.accept ?? 'application/json',
      'x-correlation-id': correlationId,
      ...(request.body === undefined ? {} : { 'content-type': 'application/json' }),
      ...(kept ? { 'if-none-match': kept.etag } : {}),
      ...request.headers,
    };
    const idempotent = method !== 'POST' || headers['idempotency-key'] !== undefined;
    for (let attempts = 1; ; attempts++) {
      let failure: TaskTrackerApiError;
      try {
        const reply = { ...(await attempt(url, request, headers)), correlationId };
        if (reply.status === 304) {
          if (!kept) throw invalidResponse(304, correlationId, 'a 304 to a request without If-None-Match');
          return { ...reply, status: 200, text: kept.text };
        }
        if (reply.status >= 200 && reply.status < 300) {
          const etag = reply.headers.get('etag');
          if (cache && method === 'GET' && etag && reply.status === 200) cache.set(url, etag, reply.text);
          return reply;
        }
        failure = errorFromReply(
          reply.status,
          reply.headers,
          reply.text,
          parseRetryAfter(reply.headers.get('retry-after')),
        );
      } catch (error) {
        if (signal?.aborted) throw signal.reason;
        if (error instanceof TaskTrackerApiError) throw error;
        failure = networkError(error, correlationId, timeoutMs);
      }
      failure.attempts = attempts;
      const retryable =
        request.retry !== false && isTransient(failure) && (idempotent || failure.status === 429);
      const delay =
        retryable && attempts <= retry.retries
          ? backoffDelay(retry, attempts - 1, failure.retryAfterMs)
          : undefined;
      if (delay === undefined) throw failure;
      await retry.sleep(delay, signal);
    }
  };
}

/** The body of a success as JSON checked by `schema`, or INVALID_RESPONSE naming what differs. */
export function parseReply<S extends z.core.$ZodType>(reply: ApiReply, schema: S): z.output<S> {
  let json: unknown;
  try {
    json = JSON.parse(reply.text);
  } catch {
    throw invalidResponse(reply.status, reply.correlationId, 'not JSON');
  }
  const parsed = z.safeParse(schema, json);
  if (!parsed.success) throw invalidResponse(reply.status, reply.correlationId, parsed.error.issues);
  return parsed.data;
}
