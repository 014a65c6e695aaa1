/**
 * The on-demand function's settings from its environment: the work bucket, the concurrent model calls
 * (`ON_DEMAND_CONCURRENCY`) and the back-off base (`ON_DEMAND_BACKOFF_BASE_MS`), read at call time.
 */
import { type BackoffPolicy, DEFAULT_BACKOFF } from '../core/on-demand/backoff';
import { intEnv, requireEnv } from './config';

/** Concurrent model calls when `ON_DEMAND_CONCURRENCY` is not set. */
export const DEFAULT_CONCURRENCY = 4;

/** What Invoke on demand reads from its environment. */
export interface OnDemandSettings {
  /** The work bucket (`WORK_BUCKET`), where the shard is read and its outputs written. */
  readonly bucket: string;
  /** Concurrent model calls, 1 to 64. */
  readonly concurrency: number;
  /** The retry policy, with the base delay from the environment when set. */
  readonly backoff: BackoffPolicy;
}

/** The settings, read now; a missing bucket or an out-of-range number throws with the variable's name. */
export function onDemandSettings(): OnDemandSettings {
  const bucket = requireEnv('WORK_BUCKET');
  const concurrency = intEnv('ON_DEMAND_CONCURRENCY', 1, 64, DEFAULT_CONCURRENCY);
  const baseMs = intEnv('ON_DEMAND_BACKOFF_BASE_MS', 1, 60_000, DEFAULT_BACKOFF.baseMs);
  return { bucket, concurrency, backoff: { ...DEFAULT_BACKOFF, baseMs } };
}
