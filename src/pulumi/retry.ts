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
): Promise<T> {
  for (let index = 0; ; index++) {
    try {
      return await attempt(index + 1);
    } catch (error) {
      const delay = delays[index];
      if (delay === undefined || !isRetryable(error)) throw error;
      onRetry(error, delay);
      await new Promise((resolve) => setTimeout(resolve, delay));
    }
  }
}
