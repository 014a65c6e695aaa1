/**
 * What a Bedrock job status means for the run, how long to wait before the next check, and the
 * execution-history arithmetic that keeps a week-long job far below Step Functions' 25,000 events.
 */
import { JobExpiredError, JobFailedError, UnknownJobStatusError } from '../contract/errors';
import type { JobCounters, JobOutcome, JobState } from '../contract/job-types';
import type { SubmitJobInput } from '../contract/types';
import { nextJobTimes, type ObservedTimes } from './job-times';

/** How the ten statuses group: still going, finished (collect), or one of the two ending failures. */
export type StatusClass = 'running' | 'done' | 'expired' | 'failed' | 'unknown';

const STATUS_CLASSES: Readonly<Record<string, StatusClass>> = {
  Submitted: 'running',
  Validating: 'running',
  Scheduled: 'running',
  InProgress: 'running',
  Stopping: 'running',
  Completed: 'done',
  PartiallyCompleted: 'done',
  Stopped: 'done',
  Expired: 'expired',
  Failed: 'failed',
};

/** Consecutive checks that may see a status this product does not know before the run fails. */
export const UNKNOWN_STATUS_CAP = 10;
/** The wait before the first check, set by Submit job. */
export const FIRST_WAIT_SECONDS = 60;
/** Attempts per shard: an Expired job is resubmitted once. */
export const MAX_ATTEMPTS = 2;
/** Hours a job may run past its own Bedrock timeout before Check job stops it. */
export const DEFAULT_GRACE_HOURS = 24;

/** 1 for a first submission; one more than the previous attempt when Check job asked to resubmit. */
export function submissionAttempt(input: SubmitJobInput): number {
  return input.job?.outcome === 'resubmit' ? input.job.attempt + 1 : 1;
}

/** The class of a Bedrock status string; anything else (or nothing) is `unknown`. */
export function classifyStatus(status: string | undefined): StatusClass {
  if (status === undefined || !Object.hasOwn(STATUS_CLASSES, status)) return 'unknown';
  return STATUS_CLASSES[status] as StatusClass;
}

/**
 * Seconds to wait before the next check, from the time since submission: 1 minute for the first
 * 10 minutes (small jobs finish promptly), 5 minutes up to 2 hours, 15 minutes up to 12 hours, then
 * 30 minutes.
 */
export function pollIntervalSeconds(elapsedSeconds: number): number {
  if (elapsedSeconds < 10 * 60) return 60;
  if (elapsedSeconds < 2 * 3600) return 5 * 60;
  if (elapsedSeconds < 12 * 3600) return 15 * 60;
  return 30 * 60;
}

/** What GetModelInvocationJob said, reduced to what the run keeps. */
export interface JobObservation {
  /** Absent when the check could not read the job (a transient Bedrock error): counted as unknown. */
  readonly status?: string;
  readonly message?: string;
  readonly counters: Partial<JobCounters>;
  /** Bedrock's `submitTime`, `lastModifiedTime` and `endTime`, when the check read them. */
  readonly times?: ObservedTimes;
}

function countersFrom(observed: Partial<JobCounters>): JobCounters {
  return {
    totalRecordCount: observed.totalRecordCount ?? 0,
    processedRecordCount: observed.processedRecordCount ?? 0,
    successRecordCount: observed.successRecordCount ?? 0,
    errorRecordCount: observed.errorRecordCount ?? 0,
  };
}

/**
 * The job after one check. Running and unknown statuses keep polling (an unknown one at most
 * `unknownCap` checks in a row); Completed, PartiallyCompleted and Stopped are `done`; the first
 * Expired asks for a resubmission.
 *
 * @throws JobFailedError for Failed (with Bedrock's message)
 * @throws JobExpiredError for Expired on the last attempt
 * @throws UnknownJobStatusError after `unknownCap` consecutive unknown statuses
 */
export function nextJobState(
  job: JobState,
  observed: JobObservation,
  now: Date,
  unknownCap: number = UNKNOWN_STATUS_CAP,
): JobState {
  const status = observed.status ?? job.status;
  const kind = classifyStatus(observed.status);
  const unknownChecks = kind === 'unknown' ? job.unknownChecks + 1 : 0;
  if (kind === 'failed') {
    throw new JobFailedError(
      `Bedrock job ${job.jobName} (shard attempt ${job.attempt}) ended Failed: ${observed.message ?? 'Bedrock gave no message'}`,
    );
  }
  if (kind === 'expired' && job.attempt >= MAX_ATTEMPTS) {
    throw new JobExpiredError(
      `Bedrock job ${job.jobName} expired before it started, after ${job.attempt} submissions: Bedrock had no capacity for it within its timeout`,
    );
  }
  if (kind === 'unknown' && unknownChecks >= unknownCap) {
    const seen =
      observed.status === undefined
        ? 'gave no status this product could read'
        : `reported the unknown status ${JSON.stringify(observed.status)}`;
    throw new UnknownJobStatusError(`Bedrock job ${job.jobName} ${seen} on ${unknownChecks} checks in a row`);
  }
  const outcome: JobOutcome = kind === 'done' ? 'done' : kind === 'expired' ? 'resubmit' : 'running';
  const elapsedSeconds = Math.max(0, (now.getTime() - Date.parse(job.submittedAt)) / 1000);
  return {
    jobArn: job.jobArn,
    jobName: job.jobName,
    attempt: job.attempt,
    submittedAt: job.submittedAt,
    status,
    outcome,
    waitSeconds: pollIntervalSeconds(elapsedSeconds),
    checks: job.checks + 1,
    unknownChecks,
    counters: countersFrom(observed.counters),
    ...(observed.message ? { message: observed.message } : {}),
    times: nextJobTimes(job.times ?? { submitted: job.submittedAt }, observed.status, observed.times),
  };
}

/** The run's limit for one job: `MAX_RUN_HOURS` when set to a positive number, else timeout + 24 h. */
export function maxRunHours(configured: string | undefined, timeoutHours: number): number {
  const hours = configured === undefined ? Number.NaN : Number(configured);
  return Number.isFinite(hours) && hours > 0 ? hours : timeoutHours + DEFAULT_GRACE_HOURS;
}

/** True when the job was submitted more than `limitHours` ago. */
export function isPastDeadline(job: JobState, now: Date, limitHours: number): boolean {
  return now.getTime() - Date.parse(job.submittedAt) > limitHours * 3600 * 1000;
}

/**
 * The history events one poll iteration adds (Wait for job → Check job → Job finished?), with Check
 * job as a `lambda:invoke` Task. Lambda retries add events only when they happen.
 */
export const POLL_ITERATION_EVENTS = [
  'WaitStateEntered',
  'WaitStateExited',
  'TaskStateEntered',
  'TaskScheduled',
  'TaskStarted',
  'TaskSucceeded',
  'TaskStateExited',
  'ChoiceStateEntered',
  'ChoiceStateExited',
] as const;

/**
 * Checks made, and history events the polling loop writes, for a job that ends `durationSeconds`
 * after submission, following {@link pollIntervalSeconds}.
 *
 * @example pollingHistory(168 * 3600) // { checks: 384, events: 3456 }
 */
export function pollingHistory(durationSeconds: number): { checks: number; events: number } {
  let elapsed = 0;
  let wait = FIRST_WAIT_SECONDS;
  let checks = 0;
  while (elapsed < durationSeconds) {
    elapsed += wait;
    checks += 1;
    wait = pollIntervalSeconds(elapsed);
  }
  return { checks, events: checks * POLL_ITERATION_EVENTS.length };
}
