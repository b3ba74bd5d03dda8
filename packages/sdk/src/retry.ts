/**
 * Retry policy of the online client: only network errors, timeouts, 429 and 5xx are retried, with exponential
 * backoff and full jitter, a capped number of attempts and a cap on the total time spent waiting. A Retry-After
 * from the server is a floor — the client never comes back sooner than asked, so it gets slower under load, not
 * faster.
 */
export interface RetryOptions {
  /** Attempts in all, the first included (default 3; 1 = no retries). */
  maxAttempts?: number;
  /** Backoff base: the n-th retry waits a random time in [0, min(maxDelayMs, baseDelayMs · 2^(n-1))). Default 500. */
  baseDelayMs?: number;
  /** Cap of one backoff wait (default 10 000). A longer Retry-After is still honoured, within maxTotalDelayMs. */
  maxDelayMs?: number;
  /** Cap of all waits of one call together (default 30 000): past it the last error is thrown. */
  maxTotalDelayMs?: number;
}

export type RetryPolicy = Required<RetryOptions>;

export const DEFAULT_RETRY: RetryPolicy = {
  maxAttempts: 3,
  baseDelayMs: 500,
  maxDelayMs: 10_000,
  maxTotalDelayMs: 30_000,
};

export function retryPolicy(options: RetryOptions | false | undefined): RetryPolicy {
  if (options === false) return { ...DEFAULT_RETRY, maxAttempts: 1 };
  const p = { ...DEFAULT_RETRY, ...options };
  return { ...p, maxAttempts: Math.max(1, Math.floor(p.maxAttempts)) };
}

/** Full jitter: a random wait in [0, min(cap, base · 2^(retry-1))) before retry number `retry` (1-based). */
export function backoffDelay(retry: number, policy: RetryPolicy, random: () => number): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (retry - 1));
  return Math.floor(random() * ceiling);
}

/** Retry-After (delta seconds or an HTTP date) → milliseconds from now, or null. */
export function parseRetryAfter(value: string | null | undefined, nowMs: number): number | null {
  if (!value) return null;
  const text = value.trim();
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  const at = Date.parse(text);
  return Number.isNaN(at) ? null : Math.max(0, at - nowMs);
}

/**
 * The wait before the next attempt, or null to give up: attempts used up, or the wait would go past the total
 * budget (a jittered wait is shortened to what is left; a Retry-After never is).
 */
export function nextDelay(
  attempt: number,
  waitedMs: number,
  retryAfterMs: number | null,
  policy: RetryPolicy,
  random: () => number,
): number | null {
  if (attempt >= policy.maxAttempts) return null;
  const left = policy.maxTotalDelayMs - waitedMs;
  const jittered = backoffDelay(attempt, policy, random);
  if (retryAfterMs !== null) {
    const delay = Math.max(retryAfterMs, jittered);
    return delay <= left ? delay : retryAfterMs <= left ? left : null;
  }
  return left > 0 ? Math.min(jittered, left) : null;
}

/** Resolves after `ms`, or rejects with the signal's reason when it aborts first. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
