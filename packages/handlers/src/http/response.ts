import { ERROR_CODES, type TaskTrackerError } from '@tasktracker/core';
import type { ApiResponse } from './event.ts';

export const JSON_CONTENT_TYPE = 'application/json; charset=utf-8';

export function jsonResponse(
  statusCode: number,
  payload: unknown,
  headers: Record<string, string> = {},
): ApiResponse {
  return {
    statusCode,
    headers: { 'Content-Type': JSON_CONTENT_TYPE, ...headers },
    body: JSON.stringify(payload),
  };
}

/**
 * The error envelope. A 500 never carries the original message or details: those are internals
 * (table names, SDK messages) and go to the log only.
 */
export function errorEnvelope(error: TaskTrackerError, correlationId: string) {
  const internal = error.status >= 500 && error.code === 'INTERNAL_SERVER_ERROR';
  return {
    error: {
      code: error.code,
      message: internal ? ERROR_CODES.INTERNAL_SERVER_ERROR.message : error.message,
      ...(!internal && error.details !== undefined ? { details: error.details } : {}),
      correlationId,
    },
  };
}
