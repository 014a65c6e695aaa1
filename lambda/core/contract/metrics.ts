/**
 * The names under which the pipeline publishes its CloudWatch metrics (embedded metric format). The
 * handlers publish them through `lambda/io/telemetry.ts`; the dashboard and alarms in `lib/monitoring.ts`
 * read them: one list, so the two cannot drift apart.
 */

/** The CloudWatch namespace of every custom metric. */
export const METRICS_NAMESPACE = 'BedrockBatchPipeline';

/** The `service` dimension (and the Logger's service name) unless `POWERTOOLS_SERVICE_NAME` says otherwise. */
export const SERVICE_NAME = 'bedrock-batch-pipeline';

/** The dimension that splits every metric by pipeline (published alongside the `service`-only series). */
export const PIPELINE_DIMENSION = 'pipeline';

/** Metrics published once per succeeded run, by Collect results. */
export const RUN_METRICS = {
  /** Data rows read from the CSV (`counts.input`). */
  rowsIn: 'RowsIn',
  /** Records written to shards and sent to Bedrock. */
  recordsSubmitted: 'RecordsSubmitted',
  rowsOk: 'RowsOk',
  rowsError: 'RowsError',
  rowsRejected: 'RowsRejected',
  rowsMissing: 'RowsMissing',
  inputTokens: 'InputTokens',
  outputTokens: 'OutputTokens',
  /** USD at the batch price; not published when the model has no price in `lambda/core/pricing/prices.ts`. */
  batchCostUsd: 'BatchCostUsd',
  /** USD the same tokens would have cost on demand; absent like `batchCostUsd`. */
  onDemandCostUsd: 'OnDemandCostUsd',
} as const;

/** Hours since submission of a job that Check job saw still running; its Maximum is the oldest running job. */
export const JOB_RUNNING_HOURS = 'JobRunningHours';
