import { describe, expect, it } from 'vitest';
import { isSecretKey, REDACTED, redactSecrets } from '../../src/index.ts';

describe('redactSecrets', () => {
  it('matches secret key names in any casing', () => {
    for (const key of ['authorization', 'Authorization', 'X-API-Key', 'x-amz-security-token', 'PASSWORD'])
      expect(isSecretKey(key)).toBe(true);
    for (const key of ['title', 'author', 'tokens', 'passwordHint']) expect(isSecretKey(key)).toBe(false);
  });

  it('replaces secrets at any depth, inside arrays too, without touching the input', () => {
    const input = {
      title: 'kept',
      headers: { Authorization: 'Bearer a', accept: 'json' },
      a: { b: { c: { d: { token: 't' } } } },
      list: [{ password: 'p' }, 'plain'],
    };
    const before = structuredClone(input);
    expect(redactSecrets(input)).toEqual({
      title: 'kept',
      headers: { Authorization: REDACTED, accept: 'json' },
      a: { b: { c: { d: { token: REDACTED } } } },
      list: [{ password: REDACTED }, 'plain'],
    });
    expect(input).toEqual(before);
  });

  it('returns objects without secrets as they are, and ends cycles', () => {
    const clean = { title: 'x', nested: { n: 1 } };
    expect(redactSecrets(clean)).toBe(clean);
    const cycle: Record<string, unknown> = { name: 'loop' };
    cycle.self = cycle;
    expect(JSON.stringify(redactSecrets(cycle))).toContain(REDACTED);
  });

  it('leaves errors and dates to their serializers', () => {
    const error = Object.assign(new Error('boom'), { token: 't' });
    const date = new Date(0);
    expect(redactSecrets({ error, date })).toEqual({ error, date });
  });
});
