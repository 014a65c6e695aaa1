/**
 * The deadline switch of one shard: what Check job records when it stops a batch job so that the rows
 * it did not process go on demand, and how Check job applies {@link deadlineDecision} to a job it just
 * observed. Pure: the job's state and the time in, the next state (and whether to stop) out.
 */

import type { JobState } from '../contract/job-types';
import type { SubmitJobInput } from '../contract/types';
import { classifyStatus } from '../job/job-status';
import {
  type DeadlineDecision,
  deadlineDecision,
  dueAt,
  MIN_CHECK_SECONDS,
  type RunDeadline,
} from './estimate';

/** Recorded on the job (`JobState.deadlineSwitch`) and its result when Check job stops it for the deadline. */
export interface DeadlineSwitch {
  /** Workflow time of the check that stopped the job (ISO 8601; simulated time locally). */
  readonly at: string;
  /** When results are due (ISO 8601). */
  readonly dueAt: string;
  /** Records the job had processed when it was stopped (Bedrock's counter at that check). */
  readonly processed: number;
  /** Records left for the on-demand path. */
  readonly remaining: number;
  /** The on-demand estimate for them, in seconds. */
  readonly onDemandSeconds: number;
  /** The batch job's projected end at that check, when it had processed anything. */
  readonly batchEndsAt?: string;
}

/** What Check job does about the deadline after one check. */
export interface DeadlineStep {
  /** The job state to return (a shorter wait, or the switch recorded). */
  readonly job: JobState;
  /** True when the job must be stopped now (StopModelInvocationJob). */
  readonly stop: boolean;
  /** The decision, for the log; absent when the deadline does not apply. */
  readonly decision?: DeadlineDecision;
}

/** True when `input` is a first-round batch job of a run with a deadline. */
export function deadlineApplies(input: SubmitJobInput): boolean {
  return input.round === undefined && input.deadline != null && input.runStartedAt !== undefined;
}

/**
 * Applies the deadline rule to `job` (just checked, at `now`). Only a first-round job still queued or
 * running, not already switched, is weighed; a switched job keeps its record through the later checks
 * (until Bedrock reports it Stopped). Records are Bedrock's `totalRecordCount`, or the run's record
 * count while Bedrock still says 0 (a job being validated): an upper bound, so the estimate errs early.
 */
export function applyDeadline(
  input: SubmitJobInput & { readonly job: JobState },
  job: JobState,
  now: Date,
  callsInFlight?: number,
): DeadlineStep {
  const previous = input.job.deadlineSwitch;
  if (previous !== undefined) return { job: { ...job, deadlineSwitch: previous }, stop: false };
  if (!deadlineApplies(input) || job.outcome !== 'running' || classifyStatus(job.status) !== 'running') {
    return { job, stop: false };
  }
  if (job.status === 'Stopping') return { job, stop: false };
  const deadline = input.deadline as RunDeadline;
  const due = dueAt(input.runStartedAt as string, deadline.hours);
  const records = job.counters.totalRecordCount > 0 ? job.counters.totalRecordCount : deadline.records;
  const processed = job.counters.processedRecordCount;
  const decision = deadlineDecision({
    now: now.getTime(),
    dueAt: due.getTime(),
    submittedAt: Date.parse(job.submittedAt),
    records,
    processed,
    waitSeconds: job.waitSeconds,
    ...(callsInFlight === undefined ? {} : { callsInFlight }),
  });
  if (decision.action === 'wait') {
    return { job: { ...job, waitSeconds: decision.waitSeconds }, stop: false, decision };
  }
  if (decision.action === 'too-late') return { job, stop: false, decision };
  const deadlineSwitch: DeadlineSwitch = {
    at: now.toISOString(),
    dueAt: due.toISOString(),
    processed,
    remaining: decision.remaining,
    onDemandSeconds: decision.onDemandSeconds,
    ...(decision.batchEndsAt === undefined
      ? {}
      : { batchEndsAt: new Date(decision.batchEndsAt).toISOString() }),
  };
  return { job: { ...job, waitSeconds: MIN_CHECK_SECONDS, deadlineSwitch }, stop: true, decision };
}
