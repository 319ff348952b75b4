/** How a client retries: on 429, 5xx, a run still in progress, and (idempotent requests) no answer. */
export interface RetryOptions {
  /** Retries after the first attempt; 0 turns retrying off. Default 3. */
  retries: number;
  /** The first backoff's ceiling; each retry doubles it. Default 200 ms. */
  baseDelayMs: number;
  /** No wait is longer: a Retry-After beyond it is not waited for, the error is thrown. Default 20 s. */
  maxDelayMs: number;
  /** Test seams: the clock's pause and the jitter's source. */
  sleep: (ms: number, signal: AbortSignal | undefined) => Promise<void>;
  random: () => number;
}

export const DEFAULT_RETRY: RetryOptions = {
  retries: 3,
  baseDelayMs: 200,
  maxDelayMs: 20_000,
  sleep: (ms, signal) =>
    new Promise<void>((resolve, reject) => {
      if (signal?.aborted) return reject(signal.reason);
      const timer = setTimeout(() => {
        signal?.removeEventListener('abort', onAbort);
        resolve();
      }, ms);
      const onAbort = () => {
        clearTimeout(timer);
        reject(signal?.reason);
      };
      signal?.addEventListener('abort', onAbort, { once: true });
    }),
  random: Math.random,
};

/** Retry-After (RFC 9110 10.2.3): delay-seconds or an HTTP-date, in milliseconds from now. */
export function parseRetryAfter(value: string | null, now = Date.now()): number | undefined {
  if (value === null) return undefined;
  const text = value.trim();
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  const at = Date.parse(text);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

/**
 * The wait before retry number `retry` (0 for the first): "full jitter", a uniform draw below an
 * exponentially growing ceiling, so that clients throttled together do not come back together. A
 * Retry-After is a floor; one beyond maxDelayMs means "not now" and gives undefined: do not retry.
 */
export function backoffDelay(policy: RetryOptions, retry: number, retryAfterMs?: number): number | undefined {
  if (retryAfterMs !== undefined && retryAfterMs > policy.maxDelayMs) return undefined;
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** retry);
  const jittered = Math.floor(policy.random() * ceiling);
  return Math.max(jittered, retryAfterMs ?? 0);
}
