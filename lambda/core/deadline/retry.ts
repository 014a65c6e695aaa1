/**
 * The second round after a deadline switch: the rows a stopped job did not process go on demand, whatever
 * the pipeline's `retryRound` says and however many they are (the usual round would run at least
 * `minRecordsPerJob` rows as a new batch job, which cannot meet the deadline). Pure.
 */

import { isFailedJob, type JobResult } from '../contract/job-types';
import { planRetryRound, type RetryLimits, type RetryPlan, type RetrySlice } from '../retry/retry-round';
import { RetrySelector, type RowOutcome, retryReason } from '../retry/selection';

/** The shards whose first-round job Check job stopped for the deadline. */
export function switchedShards(jobs: readonly JobResult[]): ReadonlySet<number> {
  return new Set(
    jobs.filter((job) => !isFailedJob(job) && job.deadlineSwitch !== undefined).map((job) => job.shard),
  );
}

/**
 * A {@link RetrySelector} that always takes the unprocessed rows of switched shards and, only when the
 * pipeline's second chance is on, the usual retryable rows of every shard.
 */
export class DeadlineRetrySelector extends RetrySelector {
  constructor(
    private readonly retryRound: boolean,
    private readonly switched: ReadonlySet<number>,
  ) {
    super();
  }

  /** True when the shard's rows need to be looked at at all. */
  wants(shard: number): boolean {
    return this.retryRound || this.switched.has(shard);
  }

  override add(shard: number, row: RowOutcome): ReturnType<RetrySelector['add']> {
    if (!this.retryRound && !(this.switched.has(shard) && retryReason(row) === 'not-processed')) {
      return undefined;
    }
    return super.add(shard, row);
  }
}

/**
 * The second round's plan: on demand (parts of at most 1,000 records, one invocation each) when any
 * shard was switched, else the usual {@link planRetryRound}.
 *
 * @example planAfterDeadline([{ shard: 1, records: 400 }], true, 1, { minRecordsPerJob: 100, maxRecordsPerJob: 50000 }).mode // 'on-demand'
 */
export function planAfterDeadline(
  counts: readonly RetrySlice[],
  retryRound: boolean,
  switched: number,
  limits: RetryLimits,
): RetryPlan {
  if (switched === 0) return planRetryRound(counts, retryRound, limits);
  return planRetryRound(counts, true, { ...limits, minRecordsPerJob: Number.POSITIVE_INFINITY });
}
