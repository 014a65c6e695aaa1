/**
 * The last step of Collect results once the files are published: tag the input object as succeeded,
 * publish the run's metrics and build the small value the state machine receives.
 */
import type { Logger } from '@aws-lambda-powertools/logger';
import type { Metrics } from '@aws-lambda-powertools/metrics';
import type { S3Client } from '@aws-sdk/client-s3';
import type { RunSummary } from '../core/collect/run';
import { isFailedJob } from '../core/contract/job-types';
import { successTags } from '../core/contract/source-tags';
import type { CollectedRun, CollectOutput } from '../core/contract/types';
import { tagSource } from './source-tags';
import { publishRunMetrics } from './telemetry';

/** Where the outcome is told: the handler's logger and metrics. */
export interface CollectTelemetry {
  readonly logger: Logger;
  readonly metrics: Metrics;
}

/**
 * Collect's output for a published run. A run with a failed job keeps its source untagged, publishes no
 * run metrics and carries the first failure.
 */
export async function collectOutcome(
  s3: S3Client,
  run: CollectedRun,
  summary: RunSummary,
  resultsBucket: string,
  { logger, metrics }: CollectTelemetry,
): Promise<CollectOutput> {
  const failure = run.jobs.find(isFailedJob);
  if (failure === undefined) {
    await tagSource(s3, run.source, successTags(run.runId), logger, 'the results are published');
  }
  const output: CollectOutput = {
    runId: run.runId,
    resultsBucket,
    resultsPrefix: summary.resultsPrefix,
    counts: summary.counts,
    tokens: summary.tokens,
    cost: { batchUsd: summary.cost.batchUsd, onDemandUsd: summary.cost.onDemandUsd },
    ...(failure !== undefined ? { failure: failure.error } : {}),
  };
  if (failure === undefined) {
    const metricsRun = { runId: run.runId, pipeline: run.pipeline, recordsSubmitted: run.prepared.records };
    publishRunMetrics(metrics, metricsRun, output);
  }
  return output;
}
