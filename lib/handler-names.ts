/**
 * The pipeline's handlers: one folder under `lambda/` and one function each.
 */

/** The handler folders under `lambda/`, one function each. */
export const HANDLER_NAMES = [
  'start-run',
  'prepare-input',
  'submit-job',
  'check-job',
  'collect-results',
  'record-failure',
  'stop-jobs',
  'invoke-on-demand',
  'plan-retry',
  'record-job',
] as const;

/** A handler folder name. */
export type HandlerName = (typeof HANDLER_NAMES)[number];
