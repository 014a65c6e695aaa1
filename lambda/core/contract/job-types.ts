/**
 * A Bedrock job as the state machine carries it: its status, counters and times at `$.job`, a Map
 * iteration's result (finished or failed), and the error Step Functions hands to a Catch.
 */
import type { DeadlineSwitch } from '../deadline/switch';

/** The ten statuses Bedrock reports, exactly as spelled on the wire, in the service model's enum order. */
export const JOB_STATUSES = [
  'Submitted',
  'InProgress',
  'Completed',
  'Failed',
  'Stopping',
  'Stopped',
  'PartiallyCompleted',
  'Expired',
  'Validating',
  'Scheduled',
] as const;

/** A Bedrock job status. */
export type JobStatus = (typeof JOB_STATUSES)[number];

/** Progress counters from GetModelInvocationJob (0 until Bedrock reports them). */
export interface JobCounters {
  readonly totalRecordCount: number;
  readonly processedRecordCount: number;
  readonly successRecordCount: number;
  readonly errorRecordCount: number;
}

/** What the state machine does next with a job. */
export type JobOutcome = 'running' | 'resubmit' | 'done';

/** The job as Submit job and Check job leave it, at `$.job` inside the Map iteration. */
export interface JobState {
  readonly jobArn: string;
  readonly jobName: string;
  /** 1 for the first submission, 2 after an Expired job was resubmitted. */
  readonly attempt: number;
  readonly submittedAt: string;
  /** Bedrock's status string (may be one this product does not know). */
  readonly status: string;
  readonly outcome: JobOutcome;
  /** Seconds the Wait state waits before the next check (adaptive). */
  readonly waitSeconds: number;
  /** Checks made so far for this attempt. */
  readonly checks: number;
  /** Consecutive checks that saw an unknown status. */
  readonly unknownChecks: number;
  readonly counters: JobCounters;
  /** Bedrock's `message` when it gave one. */
  readonly message?: string;
  /** Set once Check job stopped the job for the deadline; kept by every later check. */
  readonly deadlineSwitch?: DeadlineSwitch;
  /** Bedrock's times for this attempt, as far as the checks saw them (report.html's timeline). */
  readonly times?: JobTimes;
}

/**
 * When a job was submitted, first seen running and ended (ISO 8601), from GetModelInvocationJob's
 * `submitTime`, `lastModifiedTime` (at the first check that saw it InProgress) and `endTime`.
 */
export interface JobTimes {
  readonly submitted?: string;
  readonly started?: string;
  readonly ended?: string;
}

/** One Map iteration's result for a job that ended with output to collect. */
export interface FinishedJob {
  readonly shard: number;
  readonly jobArn: string;
  readonly status: string;
  readonly counters: JobCounters;
  /** The job's times, when its checks saw them (added by Record job result). */
  readonly times?: JobTimes;
  /** Present when Check job stopped the job for the deadline (Record job result copies it from `$.job`). */
  readonly deadlineSwitch?: DeadlineSwitch;
}

/**
 * One Map iteration's result for a shard whose job could not be created or failed (caught inside the
 * iteration, so the other shards go on and their results are kept). `error` is what Step Functions
 * caught; `jobArn` is absent when no job was created.
 */
export interface FailedJob {
  readonly shard: number;
  readonly jobArn?: string;
  readonly status?: string;
  readonly error: CaughtError;
  /** The job's times, when its checks saw them (added by Record job result). */
  readonly times?: JobTimes;
}

/** One Map iteration's result: what Collect needs to find a job's output, or why there is none. */
export type JobResult = FinishedJob | FailedJob;

/** True for a shard whose job failed. */
export function isFailedJob(job: JobResult): job is FailedJob {
  return 'error' in job && job.error !== undefined;
}

/** The error Step Functions hands to a Catch (`ResultPath: $.error`). */
export interface CaughtError {
  readonly Error: string;
  readonly Cause?: string;
}
