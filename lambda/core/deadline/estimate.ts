/**
 * The deadline estimate (`deadlineHours` in a pipeline): how long the rest of a shard would take on
 * demand, when the batch job is projected to finish, and whether Check job should stop the job now and
 * send the rows it did not process through the on-demand path. Pure: numbers in, a decision out.
 * docs/pipelines.md ("A deadline") documents the constants and the rule.
 */

/**
 * Seconds one on-demand call takes, typically: docs/on-demand.md sizes the path at "about 2 s" per call
 * (a few hundred output tokens at a few hundred tokens per second, plus the request's round trip).
 */
export const ON_DEMAND_SECONDS_PER_RECORD = 2;

/**
 * Calls in flight the estimate counts on: one invocation's `ON_DEMAND_CONCURRENCY` (default 4). The
 * second round may run several invocations of a shard at once (parts of 1,000 records), so this is the
 * cautious figure: real on-demand time is usually shorter, never longer for this reason.
 */
export const DEFAULT_ON_DEMAND_CALLS_IN_FLIGHT = 4;

/**
 * Multiplier on the calls' time for throttling backoff (the runtime quotas apply on demand; the path
 * waits up to 0.5, 1, 2, 4, 8 s before a retried call).
 */
export const ON_DEMAND_SAFETY_FACTOR = 1.5;

/**
 * Fixed seconds the switch costs besides the calls: the job's Stopping → Stopped (one more check, at most
 * a few minutes), Plan retry writing the on-demand inputs, the Map starting the invocations, and Collect.
 */
export const SWITCH_OVERHEAD_SECONDS = 15 * 60;

/** The least time between two checks, as Check job's first interval (`FIRST_WAIT_SECONDS`). */
export const MIN_CHECK_SECONDS = 60;

/**
 * Seconds `records` take on demand by the documented estimate:
 * `records × 2 s ÷ calls in flight × 1.5 + 15 min`.
 *
 * @example onDemandSeconds(1000) // 1650: 1,000 × 2 ÷ 4 × 1.5 = 750 s, plus 900 s
 */
export function onDemandSeconds(
  records: number,
  callsInFlight: number = DEFAULT_ON_DEMAND_CALLS_IN_FLIGHT,
): number {
  const calls = Math.max(0, records);
  const inFlight = Math.max(1, Math.floor(callsInFlight));
  return (
    Math.ceil((calls * ON_DEMAND_SECONDS_PER_RECORD * ON_DEMAND_SAFETY_FACTOR) / inFlight) +
    SWITCH_OVERHEAD_SECONDS
  );
}

/** What Prepare records of a run's deadline (`PreparedRun.deadline`). */
export interface RunDeadline {
  /** The pipeline's `deadlineHours`: results are due this long after the run started. */
  readonly hours: number;
  /** Records of the run (an upper bound for one job while Bedrock does not report its count yet). */
  readonly records: number;
  /** The estimate for every record of the run on demand, in seconds ({@link onDemandSeconds}). */
  readonly onDemandSeconds: number;
  /** False when even the whole run on demand is estimated to end after the deadline. */
  readonly feasible: boolean;
}

/**
 * The run's deadline as Prepare sees it, before any job: `null` without `deadlineHours`. The run's clock
 * starts with the execution, so "can the deadline be met at all" needs no time: the whole run on demand
 * must fit in `hours`.
 *
 * @example runDeadline(1, 200) // { hours: 1, records: 200, onDemandSeconds: 1050, feasible: true }
 */
export function runDeadline(
  hours: number | undefined,
  records: number,
  callsInFlight: number = DEFAULT_ON_DEMAND_CALLS_IN_FLIGHT,
): RunDeadline | null {
  if (hours === undefined) return null;
  const seconds = onDemandSeconds(records, callsInFlight);
  return { hours, records, onDemandSeconds: seconds, feasible: seconds <= hours * 3600 };
}

/** When results are due: the run's start plus `hours`. */
export function dueAt(runStartedAt: string, hours: number): Date {
  return new Date(Date.parse(runStartedAt) + hours * 3600 * 1000);
}

/** What Check job knows when it weighs the deadline for one running job. */
export interface DeadlineCheck {
  /** Milliseconds since the epoch, for the three times. */
  readonly now: number;
  readonly dueAt: number;
  readonly submittedAt: number;
  /** Records of the job (Bedrock's `totalRecordCount`, or the shard's count while Bedrock says 0). */
  readonly records: number;
  /** Bedrock's `processedRecordCount`. */
  readonly processed: number;
  /** The wait Check job would choose on its own before the next check. */
  readonly waitSeconds: number;
  /** @default DEFAULT_ON_DEMAND_CALLS_IN_FLIGHT */
  readonly callsInFlight?: number;
}

/**
 * What to do with the job: `wait` (with the wait to use: never past the last moment a switch still
 * fits), `switch` (stop it now, the rest goes on demand), or `too-late` (even on demand the rest would
 * end after the deadline: the batch job goes on, at half the price, and the summary reports the miss).
 */
export type DeadlineDecision =
  | {
      readonly action: 'wait';
      readonly waitSeconds: number;
      /** When the batch job is projected to end, when it has processed anything yet. */
      readonly batchEndsAt?: number;
    }
  | {
      readonly action: 'switch' | 'too-late';
      /** Records the job has not processed. */
      readonly remaining: number;
      /** The on-demand estimate for them, seconds. */
      readonly onDemandSeconds: number;
      readonly batchEndsAt?: number;
    };

/**
 * The batch job's projected end: the time since submission per processed record, for the records left
 * (queue time counts as processing time, so the projection is late rather than early). `undefined` before
 * the first record is processed.
 *
 * @example batchEndsAt({ now: 3_600_000, submittedAt: 0, records: 200, processed: 50 }) // 14_400_000 (4 h)
 */
export function batchEndsAt(
  check: Pick<DeadlineCheck, 'now' | 'submittedAt' | 'records' | 'processed'>,
): number | undefined {
  if (check.processed <= 0) return undefined;
  const remaining = Math.max(0, check.records - check.processed);
  const perRecord = Math.max(0, check.now - check.submittedAt) / check.processed;
  return check.now + remaining * perRecord;
}

/**
 * The deadline rule. A job projected to end by the deadline keeps running. Otherwise (projected late, or
 * no record processed yet) it keeps running as long as the on-demand path could still do the rest in
 * time after the next check, so batch does as much as it can at half the price; at the last check that
 * leaves enough time the decision is `switch`. Past that moment, `too-late`.
 *
 * @example deadlineDecision({ now: 0, dueAt: 3_600_000, submittedAt: 0, records: 200, processed: 0, waitSeconds: 60 }) // { action: 'wait', waitSeconds: 60 }
 */
export function deadlineDecision(check: DeadlineCheck): DeadlineDecision {
  const remaining = Math.max(0, check.records - check.processed);
  const ends = batchEndsAt(check);
  const projected = ends === undefined ? {} : { batchEndsAt: ends };
  if (remaining === 0 || (ends !== undefined && ends <= check.dueAt)) {
    return { action: 'wait', waitSeconds: check.waitSeconds, ...projected };
  }
  const seconds = onDemandSeconds(remaining, check.callsInFlight);
  const lastSwitch = check.dueAt - seconds * 1000;
  const left = (lastSwitch - check.now) / 1000;
  if (left < 0) return { action: 'too-late', remaining, onDemandSeconds: seconds, ...projected };
  if (left < MIN_CHECK_SECONDS) {
    return { action: 'switch', remaining, onDemandSeconds: seconds, ...projected };
  }
  return {
    action: 'wait',
    waitSeconds: Math.max(MIN_CHECK_SECONDS, Math.min(check.waitSeconds, Math.floor(left))),
    ...projected,
  };
}
