/** The Lambda's time budget: how long the invocation may still run, and the margin kept for writing. */

/** The remaining time of the invocation (Lambda's `context.getRemainingTimeInMillis`). */
export interface Deadline {
  remainingMs(): number;
}

/** A deadline that never comes (no Lambda context). */
export const NO_DEADLINE: Deadline = { remainingMs: () => Number.POSITIVE_INFINITY };

/** The part of the Lambda context a handler with a time budget reads. */
export interface RemainingTime {
  getRemainingTimeInMillis(): number;
}

/** The invocation's deadline from the Lambda context; {@link NO_DEADLINE} without one (CLI, tests). */
export function deadlineOf(context: RemainingTime | undefined): Deadline {
  return context ? { remainingMs: () => context.getRemainingTimeInMillis() } : NO_DEADLINE;
}

/** Time kept free at the end for closing the output and writing the manifest. */
export const DEFAULT_MARGIN_MS = 60_000;

/** True while more than `marginMs + neededMs` remain. */
export function hasTimeFor(deadline: Deadline, marginMs: number, neededMs = 0): boolean {
  return deadline.remainingMs() > marginMs + neededMs;
}
