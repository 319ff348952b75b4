export interface BackoffOptions {
  attempts?: number;
  baseMs?: number;
  capMs?: number;
  isRetryable: (error: unknown) => boolean;
  onRetry?: (error: unknown, attempt: number, delayMs: number) => void;
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Exponential backoff with full jitter: concurrent retries spread out instead of colliding again. */
export async function retryWithBackoff<T>(operation: () => Promise<T>, options: BackoffOptions): Promise<T> {
  const attempts = options.attempts ?? 8;
  const base = options.baseMs ?? 20;
  const cap = options.capMs ?? 1_000;
  for (let attempt = 1; ; attempt++) {
    try {
      return await operation();
    } catch (error) {
      if (attempt >= attempts || !options.isRetryable(error)) throw error;
      const delay = Math.random() * Math.min(cap, base * 2 ** attempt);
      options.onRetry?.(error, attempt, delay);
      await sleep(delay);
    }
  }
}

/** Runs tasks with at most `limit` in flight, keeping results in input order. */
export async function mapWithConcurrency<T, R>(
  inputs: readonly T[],
  limit: number,
  worker: (input: T, index: number) => Promise<R>,
): Promise<R[]> {
  const results = new Array<R>(inputs.length);
  let next = 0;
  const lanes = Array.from({ length: Math.min(limit, inputs.length) }, async () => {
    while (next < inputs.length) {
      const index = next++;
      results[index] = await worker(inputs[index] as T, index);
    }
  });
  await Promise.all(lanes);
  return results;
}
