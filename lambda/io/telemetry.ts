/**
 * Logs and metrics for the handlers (Powertools for AWS Lambda): one JSON Logger with the row-text guard
 * (`log-guard.ts`) and the run's keys, and one Metrics instance publishing embedded-metric-format lines in
 * the `BedrockBatchPipeline` namespace. Every metric is published twice: with the `service` dimension
 * alone (what the dashboard and alarms read) and with `service` + `pipeline`. When the stack asks for it
 * (`traceSdkCalls`), a Tracer records each AWS SDK call as an X-Ray subsegment.
 */
import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import {
  JOB_RUNNING_HOURS,
  METRICS_NAMESPACE,
  PIPELINE_DIMENSION,
  RUN_METRICS,
  SERVICE_NAME,
} from '../core/contract/metrics';
import type { CollectOutput } from '../core/contract/types';
import { RowSafeLogFormatter } from './log-guard';

/** The keys every log line of a run carries. */
export interface RunKeys {
  readonly runId: string;
  readonly pipeline: string;
}

/** The service name: `POWERTOOLS_SERVICE_NAME` when set (the stack sets it), else {@link SERVICE_NAME}. */
export function serviceName(): string {
  const fromEnv = process.env.POWERTOOLS_SERVICE_NAME?.trim();
  return fromEnv ? fromEnv : SERVICE_NAME;
}

/**
 * A JSON Logger whose every attribute passes the row-text guard. `handler` (the handler folder name)
 * is a persistent key of every line.
 *
 * @example const logger = createLogger('check-job');
 */
export function createLogger(handler: string): Logger {
  return new Logger({
    serviceName: serviceName(),
    logFormatter: new RowSafeLogFormatter(),
    persistentKeys: { handler },
  });
}

/** Makes `runId` and `pipeline` persistent keys of `logger` (call once per invocation: it replaces the last run's). */
export function bindRun(logger: Logger, keys: RunKeys): void {
  logger.appendPersistentKeys({ runId: keys.runId, pipeline: keys.pipeline });
}

/**
 * The Powertools tracer, loaded only when `POWERTOOLS_TRACE_ENABLED` is `true` (the stack's `traceSdkCalls`).
 * Loading it loads the X-Ray SDK, which installs async hooks on every promise of the process at import
 * (aws/aws-xray-sdk-node#420): an `await` then costs several times more, whether or not anything is traced.
 */
const tracer =
  process.env.POWERTOOLS_TRACE_ENABLED === 'true'
    ? new (await import('@aws-lambda-powertools/tracer')).Tracer({ serviceName: serviceName() })
    : undefined;

/**
 * `client` with each call traced as an X-Ray subsegment when the tracer is loaded (in Lambda with active
 * tracing); otherwise `client` itself.
 *
 * @example const s3 = traced(new S3Client({}));
 */
export function traced<T>(client: T): T {
  return tracer === undefined ? client : tracer.captureAWSv3Client(client);
}

/** A Metrics instance in the pipeline's namespace, with the `service` default dimension. */
export function createMetrics(): Metrics {
  return new Metrics({ namespace: METRICS_NAMESPACE, serviceName: serviceName() });
}

function addRunDimensions(metrics: Metrics, keys: RunKeys): void {
  metrics.addDimensions({});
  metrics.addDimensions({ [PIPELINE_DIMENSION]: keys.pipeline });
  metrics.addMetadata('runId', keys.runId);
}

/** What {@link recordRunMetrics} needs besides Collect's output. */
export interface RunMetricsInput extends RunKeys {
  /** Records written to shards and sent to Bedrock (`PreparedRun.records`). */
  readonly recordsSubmitted: number;
}

/**
 * Adds a succeeded run's metrics to `metrics` (rows in, records submitted, ok / error / rejected /
 * missing, tokens, and cost when the model has a price); the run id goes in as metadata, never as a
 * dimension. Call `metrics.publishStoredMetrics()` after, or use {@link publishRunMetrics}.
 */
export function recordRunMetrics(metrics: Metrics, run: RunMetricsInput, output: CollectOutput): void {
  addRunDimensions(metrics, run);
  const { counts, tokens, cost } = output;
  const count = MetricUnit.Count;
  metrics.addMetric(RUN_METRICS.rowsIn, count, counts.input);
  metrics.addMetric(RUN_METRICS.recordsSubmitted, count, run.recordsSubmitted);
  metrics.addMetric(RUN_METRICS.rowsOk, count, counts.ok);
  metrics.addMetric(RUN_METRICS.rowsError, count, counts.error);
  metrics.addMetric(RUN_METRICS.rowsRejected, count, counts.rejected);
  metrics.addMetric(RUN_METRICS.rowsMissing, count, counts.missing);
  metrics.addMetric(RUN_METRICS.inputTokens, count, tokens.input);
  metrics.addMetric(RUN_METRICS.outputTokens, count, tokens.output);
  if (cost.batchUsd !== null) metrics.addMetric(RUN_METRICS.batchCostUsd, MetricUnit.NoUnit, cost.batchUsd);
  if (cost.onDemandUsd !== null) {
    metrics.addMetric(RUN_METRICS.onDemandCostUsd, MetricUnit.NoUnit, cost.onDemandUsd);
  }
}

/** {@link recordRunMetrics}, then writes the EMF line to stdout. */
export function publishRunMetrics(metrics: Metrics, run: RunMetricsInput, output: CollectOutput): void {
  recordRunMetrics(metrics, run, output);
  metrics.publishStoredMetrics();
}

/**
 * Publishes how long a job seen still running has been running, in hours since `submittedAt` (the
 * "jobs running too long" alarm reads its Maximum). Check job calls it when the outcome is `running`.
 */
export function publishJobRunningHours(metrics: Metrics, run: RunKeys, submittedAt: string, now: Date): void {
  const hours = Math.max(0, (now.getTime() - Date.parse(submittedAt)) / 3_600_000);
  if (!Number.isFinite(hours)) return;
  addRunDimensions(metrics, run);
  metrics.addMetric(JOB_RUNNING_HOURS, MetricUnit.NoUnit, Number(hours.toFixed(3)));
  metrics.publishStoredMetrics();
}
