import { describe, expect, it } from 'vitest';
import { ERROR_CODES, TaskTrackerError, toTaskTrackerError } from '../../src/index.ts';

describe('error table', () => {
  it('gives every code an HTTP status and a CLI exit code', () => {
    for (const [code, entry] of Object.entries(ERROR_CODES)) {
      expect(entry.status, code).toBeGreaterThanOrEqual(400);
      expect(entry.exitCode, code).toBeGreaterThan(0);
    }
    expect(ERROR_CODES.RESOURCE_NOT_FOUND.status).toBe(404);
    expect(ERROR_CODES.VERSION_CONFLICT.status).toBe(409);
    expect(ERROR_CODES.IDEMPOTENCY_KEY_REUSED.status).toBe(422);
    expect(ERROR_CODES.PAYLOAD_TOO_LARGE.status).toBe(413);
  });

  it('keeps not-found and conflict apart from generic failure in exit codes', () => {
    const generic = ERROR_CODES.INTERNAL_SERVER_ERROR.exitCode;
    expect(ERROR_CODES.RESOURCE_NOT_FOUND.exitCode).not.toBe(generic);
    expect(ERROR_CODES.VERSION_CONFLICT.exitCode).not.toBe(generic);
    expect(ERROR_CODES.VERSION_CONFLICT.exitCode).not.toBe(ERROR_CODES.RESOURCE_NOT_FOUND.exitCode);
  });

  it('wraps foreign errors as INTERNAL_SERVER_ERROR without exposing their message', () => {
    const wrapped = toTaskTrackerError(new Error('secret connection string'));
    expect(wrapped.code).toBe('INTERNAL_SERVER_ERROR');
    expect(wrapped.message).not.toContain('secret');
    expect(wrapped.status).toBe(500);
    const own = new TaskTrackerError('VERSION_CONFLICT');
    expect(toTaskTrackerError(own)).toBe(own);
  });
});
