import { describe, expect, it } from 'vitest';
import { isTaskTrackerError } from '../../src/index.ts';
import { noEngine, useTracker } from './setup.ts';

describe.skipIf(noEngine)('idempotency', () => {
  const t = useTracker();

  it('turns 20 concurrent creates with one key into exactly one task and 20 identical responses', async () => {
    const outcomes = await Promise.all(
      Array.from({ length: 20 }, () =>
        t.tracker.tasks.create('ida', { title: 'once', priority: 'high' }, { idempotencyKey: 'same-key-1' }),
      ),
    );
    const ids = new Set(outcomes.map((outcome) => outcome.result.taskId));
    expect(ids.size).toBe(1);
    for (const outcome of outcomes) expect(outcome.result).toEqual(outcomes[0]?.result);
    expect(outcomes.filter((outcome) => !outcome.replayed)).toHaveLength(1);
    const page = await t.tracker.tasks.list('ida', { limit: 100 });
    expect(page.items.filter((task) => task.title === 'once')).toHaveLength(1);
  });

  it('costs one DynamoDB call for a first request and one for a duplicate', async () => {
    t.calls.reset();
    await t.tracker.tasks.create('ida', { title: 'cheap' }, { idempotencyKey: 'calls-1' });
    expect(t.calls.total()).toBe(1);
    t.calls.reset();
    const replay = await t.tracker.tasks.create('ida', { title: 'cheap' }, { idempotencyKey: 'calls-1' });
    expect(replay.replayed).toBe(true);
    expect(t.calls.total()).toBe(1);
  });

  it('rejects the same key with a different payload as IDEMPOTENCY_KEY_REUSED', async () => {
    await t.tracker.tasks.create('ida', { title: 'first' }, { idempotencyKey: 'reuse-1' });
    await expect(
      t.tracker.tasks.create('ida', { title: 'second' }, { idempotencyKey: 'reuse-1' }),
    ).rejects.toMatchObject({
      code: 'IDEMPOTENCY_KEY_REUSED',
    });
  });

  it('keeps keys per user: another user with the same key gets a task of their own', async () => {
    const a = await t.tracker.tasks.create('ida', { title: 'mine' }, { idempotencyKey: 'shared-key' });
    const b = await t.tracker.tasks.create('bob', { title: 'mine' }, { idempotencyKey: 'shared-key' });
    expect(b.replayed).toBe(false);
    expect(b.result.userId).toBe('bob');
    expect(b.result.taskId).not.toBe(a.result.taskId);
  });

  it('treats an expired record as absent before DynamoDB deletes it', async () => {
    const first = await t.tracker.tasks.create('ida', { title: 'ttl' }, { idempotencyKey: 'ttl-1' });
    const later = t.withOptions({ now: () => new Date(Date.now() + 2 * 86_400_000) });
    const second = await later.tasks.create('ida', { title: 'ttl' }, { idempotencyKey: 'ttl-1' });
    expect(second.replayed).toBe(false);
    expect(second.result.taskId).not.toBe(first.result.taskId);
  });

  it('replays category creation too', async () => {
    const a = await t.tracker.categories.create('ida', { name: 'Home' }, { idempotencyKey: 'cat-1' });
    const b = await t.tracker.categories.create('ida', { name: 'Home' }, { idempotencyKey: 'cat-1' });
    expect(b).toEqual({ result: a.result, replayed: true });
  });

  it('rejects a malformed key before writing anything', async () => {
    await expect(
      t.tracker.tasks.create('ida', { title: 'x' }, { idempotencyKey: 'bad key' }),
    ).rejects.toMatchObject({
      code: 'VALIDATION_ERROR',
    });
  });

  describe('runOnce (effects outside DynamoDB)', () => {
    const request = (key: string, payload: unknown = { n: 1 }) => ({
      userId: 'ida',
      key,
      operation: 'sendMail',
      payload,
    });

    it('runs the work once and replays the stored result', async () => {
      let runs = 0;
      const work = async () => ({ sent: ++runs });
      const first = await t.tracker.idempotency.runOnce(request('mail-1'), work);
      const second = await t.tracker.idempotency.runOnce(request('mail-1'), work);
      expect(first).toEqual({ result: { sent: 1 }, replayed: false });
      expect(second).toEqual({ result: { sent: 1 }, replayed: true });
      expect(runs).toBe(1);
    });

    it('answers IDEMPOTENCY_IN_PROGRESS while the first run is still going', async () => {
      let release: () => void = () => {};
      const slow = t.tracker.idempotency.runOnce(
        request('mail-2'),
        () =>
          new Promise<string>((resolve) => {
            release = () => resolve('done');
          }),
      );
      await new Promise((resolve) => setTimeout(resolve, 100));
      const duplicate = await t.tracker.idempotency
        .runOnce(request('mail-2'), async () => 'twice')
        .catch((e: unknown) => e);
      expect(isTaskTrackerError(duplicate, 'IDEMPOTENCY_IN_PROGRESS')).toBe(true);
      release();
      expect((await slow).result).toBe('done');
    });

    it('releases the key when the work fails, so a retry runs again', async () => {
      await expect(
        t.tracker.idempotency.runOnce(request('mail-3'), async () => {
          throw new Error('smtp down');
        }),
      ).rejects.toThrow('smtp down');
      const retry = await t.tracker.idempotency.runOnce(request('mail-3'), async () => 'ok');
      expect(retry).toEqual({ result: 'ok', replayed: false });
    });

    it('lets a new caller take over a claim abandoned by a dead process', async () => {
      const never = t.tracker.idempotency.runOnce(request('mail-4'), () => new Promise(() => {}), {
        inProgressTimeoutMs: 50,
      });
      void never;
      await new Promise((resolve) => setTimeout(resolve, 150));
      const takeover = await t.tracker.idempotency.runOnce(request('mail-4'), async () => 'recovered');
      expect(takeover.result).toBe('recovered');
    });
  });
});
