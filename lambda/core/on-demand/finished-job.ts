/** The `JobResult` of a shard run on demand, as a finished batch job's Map iteration would give it. */
import type { FinishedJob } from '../contract/job-types';
import { type Deadline, NO_DEADLINE } from './budget';
import { countersOf, type OnDemandReport, statusOf } from './process';
import { onDemandJobArn } from './pseudo-job';

/** The part of the Lambda context the on-demand handler reads. */
export interface RemainingTime {
  getRemainingTimeInMillis(): number;
}

/** The invocation's deadline from the Lambda context; {@link NO_DEADLINE} without one (CLI, tests). */
export function deadlineOf(context: RemainingTime | undefined): Deadline {
  return context ? { remainingMs: () => context.getRemainingTimeInMillis() } : NO_DEADLINE;
}

/** The shard's result: its pseudo job ARN, `Completed` or `PartiallyCompleted`, and its counters. */
export function finishedJobOf(shard: number, jobId: string, report: OnDemandReport): FinishedJob {
  return {
    shard,
    jobArn: onDemandJobArn(jobId),
    status: statusOf(report),
    counters: countersOf(report),
  };
}
