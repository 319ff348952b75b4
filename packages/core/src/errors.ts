/**
 * The one table of error codes. Every layer maps errors through it: handlers take the HTTP status,
 * the CLI takes the exit code. Codes are part of the public contract: never rename one.
 */
export const ERROR_CODES = {
  VALIDATION_ERROR: { status: 400, exitCode: 2, message: 'The request is not valid' },
  INVALID_CURSOR: { status: 400, exitCode: 2, message: 'The cursor is not valid for this query' },
  UNAUTHORIZED: { status: 401, exitCode: 1, message: 'No caller identity' },
  FORBIDDEN: { status: 403, exitCode: 1, message: 'The caller may not do this' },
  RESOURCE_NOT_FOUND: { status: 404, exitCode: 3, message: 'The requested resource was not found' },
  VERSION_CONFLICT: { status: 409, exitCode: 4, message: 'The resource was changed by someone else' },
  // An If-Match header that no longer matches (RFC 9110 13.1.1); the same conflict as VERSION_CONFLICT,
  // told through the header's own status so HTTP tools recognise it.
  PRECONDITION_FAILED: { status: 412, exitCode: 4, message: 'The resource no longer matches If-Match' },
  CATEGORY_NOT_EMPTY: { status: 409, exitCode: 4, message: 'The category still has tasks' },
  CATEGORY_NAME_TAKEN: { status: 409, exitCode: 4, message: 'A category with this name already exists' },
  IDEMPOTENCY_IN_PROGRESS: { status: 409, exitCode: 4, message: 'A request with this key is still running' },
  PAYLOAD_TOO_LARGE: { status: 413, exitCode: 2, message: 'The request is too large' },
  IDEMPOTENCY_KEY_REUSED: {
    status: 422,
    exitCode: 5,
    message: 'The idempotency key was already used with a different request',
  },
  INTERNAL_SERVER_ERROR: { status: 500, exitCode: 1, message: 'An unexpected error occurred' },
  SERVICE_UNAVAILABLE: { status: 503, exitCode: 6, message: 'A dependency is unreachable' },
  // The deployer's codes (the CLI's stack commands); their HTTP statuses are never sent.
  STACK_NOT_FOUND: { status: 404, exitCode: 3, message: 'No such stack' },
  STACK_BUSY: { status: 409, exitCode: 4, message: 'The stack is being changed by another operation' },
  STACK_CONFLICT: {
    status: 409,
    exitCode: 4,
    message: 'Resources the stack would create already exist outside it',
  },
  DEPLOY_FAILED: { status: 500, exitCode: 7, message: 'The stack operation failed' },
  TEMPLATE_INVALID: { status: 422, exitCode: 8, message: 'The template did not pass validation' },
  AWS_REQUEST_FAILED: { status: 502, exitCode: 9, message: 'The AWS endpoint refused the request' },
  INTERRUPTED: { status: 499, exitCode: 130, message: 'Stopped by the user' },
} as const satisfies Record<string, { status: number; exitCode: number; message: string }>;

export type ErrorCode = keyof typeof ERROR_CODES;

export interface ErrorDetail {
  path: (string | number)[];
  message: string;
}

export class TaskTrackerError extends Error {
  override readonly name = 'TaskTrackerError';
  readonly code: ErrorCode;
  readonly details: ErrorDetail[] | Record<string, unknown> | undefined;

  constructor(
    code: ErrorCode,
    message: string = ERROR_CODES[code].message,
    details?: ErrorDetail[] | Record<string, unknown>,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.code = code;
    this.details = details;
  }

  get status(): number {
    return ERROR_CODES[this.code].status;
  }

  get exitCode(): number {
    return ERROR_CODES[this.code].exitCode;
  }
}

export function isTaskTrackerError(error: unknown, code?: ErrorCode): error is TaskTrackerError {
  return error instanceof TaskTrackerError && (code === undefined || error.code === code);
}

/** Anything thrown that is not ours becomes INTERNAL_SERVER_ERROR, keeping the original as cause. */
export function toTaskTrackerError(error: unknown): TaskTrackerError {
  if (error instanceof TaskTrackerError) return error;
  return new TaskTrackerError('INTERNAL_SERVER_ERROR', undefined, undefined, { cause: error });
}

export function notFound(resource: 'task' | 'category' | 'export', id: string): TaskTrackerError {
  return new TaskTrackerError('RESOURCE_NOT_FOUND', `No ${resource} with id ${id}`, { resource, id });
}

export function versionConflict(expected: number, current: number): TaskTrackerError {
  return new TaskTrackerError(
    'VERSION_CONFLICT',
    `Expected version ${expected} but the current version is ${current}`,
    { expectedVersion: expected, currentVersion: current },
  );
}
