import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  canonicalJson,
  generateIdempotencyKey,
  isTaskTrackerError,
  requestFingerprint,
  validateIdempotencyKey,
} from '../../src/index.ts';

describe('idempotency keys', () => {
  it('accepts 1-128 characters of [A-Za-z0-9_.:-] and rejects anything else', () => {
    expect(validateIdempotencyKey('order-42:retry_1.a')).toBe('order-42:retry_1.a');
    expect(validateIdempotencyKey('x'.repeat(128))).toHaveLength(128);
    for (const bad of ['', 'x'.repeat(129), 'has space', 'slash/', 'ü', null, 42]) {
      expect(() => validateIdempotencyKey(bad)).toThrow(
        expect.objectContaining({ code: 'VALIDATION_ERROR' }),
      );
    }
  });

  it('generates the same valid key for equal requests whatever the key order', () => {
    const a = generateIdempotencyKey('createTask', 'u1', { title: 't', priority: 'high' });
    const b = generateIdempotencyKey('createTask', 'u1', { priority: 'high', title: 't' });
    expect(a).toBe(b);
    expect(validateIdempotencyKey(a)).toBe(a);
    expect(generateIdempotencyKey('createTask', 'u2', { title: 't', priority: 'high' })).not.toBe(a);
    expect(generateIdempotencyKey('createCategory', 'u1', { title: 't', priority: 'high' })).not.toBe(a);
  });

  it('fingerprints differ when the payload differs', () => {
    fc.assert(
      fc.property(fc.jsonValue(), fc.jsonValue(), (x, y) => {
        const same = canonicalJson(x) === canonicalJson(y);
        expect(requestFingerprint('op', x) === requestFingerprint('op', y)).toBe(same);
      }),
    );
  });

  it('reports a bad key as a validation error with the path', () => {
    try {
      validateIdempotencyKey('bad key');
      expect.unreachable();
    } catch (error) {
      expect(isTaskTrackerError(error, 'VALIDATION_ERROR')).toBe(true);
    }
  });
});
