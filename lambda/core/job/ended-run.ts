/**
 * Which run's jobs Stop jobs stops, from a Step Functions "Execution Status Change" event: only for an
 * execution that ended without succeeding (ABORTED, TIMED_OUT, FAILED), and only when the run id (from
 * the execution's input, else its name) carries the hash the run's job names contain.
 */
import { runHashOf } from '../contract/run-id';

/** The part of the Step Functions status-change event Stop jobs reads. */
export interface ExecutionStatusDetail {
  readonly name?: string;
  readonly status?: string;
  readonly input?: string | null;
}

/** What the event says: its status and run id, and the run hash when its jobs are to be stopped. */
export interface EndedRun {
  readonly status?: string;
  readonly runId?: string;
  /** Set only when the execution ended without succeeding and the run id is well formed. */
  readonly hash?: string;
}

const ENDED_WITHOUT_SUCCESS = new Set(['ABORTED', 'TIMED_OUT', 'FAILED']);

function runIdOf(detail: ExecutionStatusDetail): string | undefined {
  try {
    const input: unknown = detail.input ? JSON.parse(detail.input) : undefined;
    const runId = (input as { runId?: unknown } | undefined)?.runId;
    if (typeof runId === 'string') return runId;
  } catch {
    // the execution name is the run id too
  }
  return detail.name;
}

/** The run an execution status change is about, with `hash` only when its jobs must be stopped. */
export function endedRun(detail: ExecutionStatusDetail | undefined): EndedRun {
  const status = detail?.status;
  const runId = detail ? runIdOf(detail) : undefined;
  const hash = runId === undefined ? undefined : runHashOf(runId);
  const ended = status !== undefined && ENDED_WITHOUT_SUCCESS.has(status);
  return ended && hash !== undefined ? { status, runId, hash } : { status, runId };
}
