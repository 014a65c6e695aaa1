/** The on-demand path's pure core: run a shard through the runtime API and write batch-style outputs. */
export { type BackoffPolicy, backoffDelay, DEFAULT_BACKOFF } from './backoff';
export { DEFAULT_MARGIN_MS, type Deadline, hasTimeFor, NO_DEADLINE } from './budget';
export { classifyFailure, type FailureClass, type InvocationFailure, type InvocationResult } from './failure';
export {
  type BelowMinimumPolicy,
  DEFAULT_BELOW_MINIMUM,
  ON_DEMAND_MAX_RECORDS,
  preparedMode,
  type RunMode,
  runMode,
} from './mode';
export { answeredLine, errorLine, parseShardRecord, type ShardRecord } from './output-line';
export {
  countersOf,
  type InvokeRecord,
  manifestOf,
  type OnDemandOptions,
  type OnDemandReport,
  processShard,
  statusOf,
} from './process';
export { isOnDemandJobArn, ON_DEMAND_ARN_PREFIX, onDemandJobArn, onDemandJobId } from './pseudo-job';
export { type RunCounts, runBounded } from './runner';
