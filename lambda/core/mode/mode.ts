/**
 * Which path a run takes: batch at or above the model's batch minimum; below it, the on-demand runtime
 * API (the default) or a `BELOW_MIN_RECORDS` failure, as the pipeline's `belowMinimum` option says.
 */

/** The pipeline option for runs below the batch minimum. */
export type BelowMinimumPolicy = 'on-demand' | 'fail';

/** `belowMinimum` when the pipeline does not set it. */
export const DEFAULT_BELOW_MINIMUM: BelowMinimumPolicy = 'on-demand';

/**
 * The most records one on-demand invocation takes: 1,000 calls at 4 at a time and about 2 s each is
 * about 8 minutes, inside a 15-minute Lambda with room for backoff. Larger runs below a (raised)
 * minimum fail with `BELOW_MIN_RECORDS`.
 */
export const ON_DEMAND_MAX_RECORDS = 1_000;

/** How a run is processed. */
export type RunMode = 'batch' | 'on-demand' | 'fail';

/**
 * @example runMode(40, 100, 'on-demand') // 'on-demand'
 * @example runMode(40, 100, 'fail') // 'fail'
 * @example runMode(250, 100, 'on-demand') // 'batch'
 * @example runMode(0, 100, 'fail') // 'on-demand': no record to send, the rejected rows are published
 */
export function runMode(records: number, minRecordsPerJob: number, policy: BelowMinimumPolicy): RunMode {
  if (records >= minRecordsPerJob) return 'batch';
  // Every row was rejected: nothing is sent or billed, and Collect publishes the rejected rows.
  if (records < 1) return 'on-demand';
  if (policy === 'fail' || records > ON_DEMAND_MAX_RECORDS) return 'fail';
  return 'on-demand';
}

/**
 * `PreparedRun.mode`: {@link runMode} with the failure named `too-few` (the "Too few records" state).
 *
 * @example preparedMode(40, 100, 'on-demand') // 'on-demand'
 * @example preparedMode(40, 100, 'fail') // 'too-few'
 */
export function preparedMode(
  records: number,
  minRecordsPerJob: number,
  policy: BelowMinimumPolicy = DEFAULT_BELOW_MINIMUM,
): 'batch' | 'on-demand' | 'too-few' {
  const mode = runMode(records, minRecordsPerJob, policy);
  return mode === 'fail' ? 'too-few' : mode;
}
