import { describe, expect, it } from 'vitest';
import { logEventKey } from '../../src/index.ts';

describe('tt logs: telling events apart', () => {
  it("uses CloudWatch's event id when there is one", () => {
    const event = { eventId: '3785', logStreamName: 's', timestamp: 1, message: 'a' };
    expect(logEventKey(event)).toBe('3785');
    expect(logEventKey({ ...event, message: 'another text, same id' })).toBe('3785');
  });

  it('without ids (ministack gives none), keeps every line of one invocation apart, and a repeat equal', () => {
    // One invocation's lines as ministack returns them: one stream, one timestamp, no eventId.
    const lines = ['START RequestId: r1', '{"level":"info","msg":"import event"}', 'END RequestId: r1'];
    const events = lines.map((message) => ({
      logStreamName: '2026/12/01/[$LATEST]ab',
      timestamp: 1796157654093,
      message,
    }));
    expect(new Set(events.map(logEventKey)).size).toBe(3);
    // The next poll starts at the newest timestamp seen, so the same events come back: still one key each.
    expect(events.map((event) => logEventKey({ ...event }))).toEqual(events.map(logEventKey));
  });
});
