/**
 * Counts execution history events the way Step Functions records them, from the local interpreter's
 * event log: a Lambda task writes TaskStateEntered, TaskScheduled, TaskStarted, TaskSucceeded and
 * TaskStateExited; a retry adds TaskScheduled and TaskStarted; a Map adds its Started/Succeeded events.
 */
import type { ExecutionEvent } from './execution';

const TASK: Readonly<Record<string, number>> = {
  StateEntered: 3,
  StateExited: 2,
  StateFailed: 1,
  StateRetried: 2,
};
const MAP: Readonly<Record<string, number>> = { StateEntered: 2, StateExited: 2 };
const OTHER: Readonly<Record<string, number>> = { StateEntered: 1, StateExited: 1 };
const NOT_RECORDED = new Set(['StateRetried', 'StateCaught', 'StateFailed']);

/** The history events Step Functions records for one interpreter event. */
export function historyEventsFor(event: ExecutionEvent): number {
  const kind = event.state?.type;
  if (kind === 'Task') return TASK[event.type] ?? 0;
  if (kind === 'Map') return MAP[event.type] ?? 0;
  if (kind !== undefined) return OTHER[event.type] ?? 0;
  return NOT_RECORDED.has(event.type) ? 0 : 1;
}

/** A running count of history events. */
export class HistoryCounter {
  private total = 0;

  /** History events recorded so far. */
  get count(): number {
    return this.total;
  }

  /** Adds the events Step Functions would record for one interpreter event. */
  add(event: ExecutionEvent): void {
    this.total += historyEventsFor(event);
  }
}
