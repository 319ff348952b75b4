import { TaskTrackerError } from '@tasktracker/core';

/** Waits, or stops at once with INTERRUPTED when the signal fires (Ctrl-C while polling). */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(interrupted());
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(interrupted());
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

export const interrupted = () => new TaskTrackerError('INTERRUPTED');
