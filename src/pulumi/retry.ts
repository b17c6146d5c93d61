/** Waits between attempts: 1 s, 2 s, 4 s ... at most 15 s, never past the deadline. */
export function backoffDelays(timeoutMs: number, firstMs = 1000, maxMs = 15_000): number[] {
  const delays: number[] = [];
  let total = 0;
  let next = firstMs;
  while (total + next <= timeoutMs) {
    delays.push(next);
    total += next;
    next = Math.min(next * 2, maxMs);
  }
  if (total < timeoutMs) delays.push(timeoutMs - total);
  return delays;
}

/**
 * Runs `attempt` until it succeeds, retrying only errors that `isRetryable` accepts, sleeping
 * the given delays in between. The last error is rethrown when the delays run out.
 */
export async function retry<T>(
  attempt: (attemptNumber: number) => Promise<T>,
  isRetryable: (error: unknown) => boolean,
  delays: readonly number[],
  onRetry: (error: unknown, delayMs: number) => void,
  signal?: AbortSignal,
): Promise<T> {
  for (let index = 0; ; index++) {
    signal?.throwIfAborted();
    try {
      return await attempt(index + 1);
    } catch (error) {
      const delay = delays[index];
      if (delay === undefined || !isRetryable(error) || signal?.aborted) throw error;
      onRetry(error, delay);
      await sleep(delay, signal);
      if (signal?.aborted) throw error;
    }
  }
}

/** Waits `ms`, or less when `signal` aborts first. */
function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    signal?.addEventListener("abort", done, { once: true });
    function done() {
      clearTimeout(timer);
      signal?.removeEventListener("abort", done);
      resolve();
    }
  });
}
