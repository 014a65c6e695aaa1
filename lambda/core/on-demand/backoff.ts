/** Exponential backoff with full jitter for retryable runtime failures. */

/** How often and how long to retry one record. */
export interface BackoffPolicy {
  /** Calls per record at most, the first included. */
  readonly maxAttempts: number;
  /** Upper bound of the first delay. */
  readonly baseMs: number;
  /** No delay is longer than this. */
  readonly capMs: number;
}

/** Six calls per record, delays up to 0.5, 1, 2, 4, 8 s (about 15 s in the worst case). */
export const DEFAULT_BACKOFF: BackoffPolicy = { maxAttempts: 6, baseMs: 500, capMs: 20_000 };

/**
 * The delay before call `attempt + 1` after call `attempt` (1-based) failed: a uniform draw in
 * `[0, min(cap, base * 2^(attempt - 1)))`, so workers throttled together do not retry together.
 *
 * @example backoffDelay(3, DEFAULT_BACKOFF, () => 0.5) // 1000
 */
export function backoffDelay(attempt: number, policy: BackoffPolicy, random: () => number): number {
  const ceiling = Math.min(policy.capMs, policy.baseMs * 2 ** (attempt - 1));
  return Math.floor(random() * ceiling);
}
