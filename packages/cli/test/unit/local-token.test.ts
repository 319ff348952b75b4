import { describe, expect, it } from 'vitest';
import { expirySeconds } from '../../src/commands/local-token.ts';

describe('tt local token --expires', () => {
  it('reads seconds, minutes, hours and days', () => {
    expect(['90', '30m', '1h', '2d', '45s'].map(expirySeconds)).toEqual([90, 1800, 3600, 172_800, 45]);
  });

  it('refuses what is no lifetime with a VALIDATION_ERROR that says what to give', () => {
    for (const span of ['', '0', '-5m', '1w', 'soon', '1.5h'])
      expect(() => expirySeconds(span), span).toThrow(/give a lifetime like 30m, 1h, 2d or 90/);
  });
});
