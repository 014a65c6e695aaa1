/** The `JobResult` of a shard run on demand, as a finished batch job's Map iteration would give it. */
import type { FinishedJob } from '../contract/job-types';
import { countersOf, type OnDemandReport, statusOf } from './process';
import { onDemandJobArn } from './pseudo-job';

/** The shard's result: its pseudo job ARN, `Completed` or `PartiallyCompleted`, and its counters. */
export function finishedJobOf(shard: number, jobId: string, report: OnDemandReport): FinishedJob {
  return {
    shard,
    jobArn: onDemandJobArn(jobId),
    status: statusOf(report),
    counters: countersOf(report),
  };
}
