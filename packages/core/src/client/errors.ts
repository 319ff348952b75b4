import type * as z from 'zod/mini';
import { ErrorEnvelopeSchema } from '../api/responses.ts';
import type { ErrorCode } from '../errors.ts';

/**
 * Codes for failures the client meets before or beside the API's own envelope. The API's codes are
 * core's ERROR_CODES; these three never come from a handler.
 */
export const CLIENT_ERROR_CODES = {
  /** An answer without our envelope: API Gateway's own 403/413/429/502/504, or a proxy's. */
  GATEWAY_ERROR: 'The API gateway answered without the API',
  /** No answer: connection refused or reset, DNS, or no answer within timeoutMs. status is 0. */
  NETWORK_ERROR: 'The API could not be reached',
  /** A success whose body is not what the route answers: client and server disagree on the contract. */
  INVALID_RESPONSE: 'The API answered with an unexpected body',
} as const;
export type ClientErrorCode = keyof typeof CLIENT_ERROR_CODES;

/** A newer server may send a code this client does not know yet: it is passed on as it came. */
export type ApiErrorCode = ErrorCode | ClientErrorCode | (string & {});

export interface ApiErrorFields {
  code: ApiErrorCode;
  status: number;
  message: string;
  details?: unknown;
  correlationId?: string | undefined;
  retryAfterMs?: number | undefined;
}

/** Every failure of a client call: the API's envelope, a gateway's answer, or no answer at all. */
export class TaskTrackerApiError extends Error {
  override readonly name = 'TaskTrackerApiError';
  readonly code: ApiErrorCode;
  /** The HTTP status; 0 when there was no answer. */
  readonly status: number;
  readonly details: unknown;
  /** The request's X-Correlation-Id: quote it to whoever reads the API's logs. */
  readonly correlationId: string | undefined;
  /** What Retry-After asked for, in milliseconds, when the answer said. */
  readonly retryAfterMs: number | undefined;
  /** Requests sent for this call, retries included. */
  attempts = 1;

  constructor(fields: ApiErrorFields, options?: { cause?: unknown }) {
    super(fields.message, options);
    this.code = fields.code;
    this.status = fields.status;
    this.details = fields.details;
    this.correlationId = fields.correlationId;
    this.retryAfterMs = fields.retryAfterMs;
  }
}

export function isTaskTrackerApiError(error: unknown, code?: ApiErrorCode): error is TaskTrackerApiError {
  return error instanceof TaskTrackerApiError && (code === undefined || error.code === code);
}

function jsonOf(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** The error a non-success answer stands for: the envelope's fields, or the gateway's message. */
export function errorFromReply(
  status: number,
  headers: Headers,
  text: string,
  retryAfterMs: number | undefined,
): TaskTrackerApiError {
  const json = jsonOf(text);
  const envelope = ErrorEnvelopeSchema.safeParse(json);
  const headerId = headers.get('x-correlation-id') ?? headers.get('x-amzn-requestid') ?? undefined;
  if (envelope.success) {
    const { code, message, details, correlationId } = envelope.data.error;
    return new TaskTrackerApiError({ code, status, message, details, correlationId, retryAfterMs });
  }
  const gatewayMessage =
    json && typeof json === 'object' && 'message' in json && typeof json.message === 'string'
      ? json.message
      : undefined;
  return new TaskTrackerApiError({
    // A Cognito authorizer's 401 is API Gateway's own body, but it means what our UNAUTHORIZED means.
    code: status === 401 ? 'UNAUTHORIZED' : 'GATEWAY_ERROR',
    status,
    message: `HTTP ${status}: ${gatewayMessage ?? (text.slice(0, 200) || CLIENT_ERROR_CODES.GATEWAY_ERROR)}`,
    correlationId: headerId,
    retryAfterMs,
  });
}

/** A success whose body failed its schema: which paths, so a contract drift is easy to find. */
export function invalidResponse(
  status: number,
  correlationId: string | undefined,
  issues: readonly z.core.$ZodIssue[] | string,
): TaskTrackerApiError {
  const details =
    typeof issues === 'string'
      ? [{ path: [], message: issues }]
      : issues.map((issue) => ({ path: issue.path.map(String), message: issue.message }));
  const first = details[0];
  return new TaskTrackerApiError({
    code: 'INVALID_RESPONSE',
    status,
    message: `${CLIENT_ERROR_CODES.INVALID_RESPONSE}${first ? ` (${[...first.path].join('.') || 'body'}: ${first.message})` : ''}`,
    details,
    correlationId,
  });
}
