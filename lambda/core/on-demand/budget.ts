/** The Lambda's time budget: how long the invocation may still run, and the margin kept for writing. */

/** The remaining time of the invocation (Lambda's `context.getRemainingTimeInMillis`). */
export interface Deadline {
  remainingMs(): number;
}

/** A deadline that never comes (no Lambda context). */
export const NO_DEADLINE: Deadline = { remainingMs: () => Number.POSITIVE_INFINITY };

/** Time kept free at the end for closing the output and writing the manifest. */
export const DEFAULT_MARGIN_MS = 60_000;

/** True while more than `marginMs + neededMs` remain. */
export function hasTimeFor(deadline: Deadline, marginMs: number, neededMs = 0): boolean {
  return deadline.remainingMs() > marginMs + neededMs;
}
