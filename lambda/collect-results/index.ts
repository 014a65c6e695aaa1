/**
 * Collect results: joins every job's Bedrock output back to the rows, publishes results.csv,
 * results.jsonl, errors.csv and summary.json, and tags the input object as succeeded.
 * Throws ResultsMismatchError (nothing published) when the counts do not reconcile.
 */
import { S3Client } from '@aws-sdk/client-s3';
import {
  type CollectInput,
  type CollectOutput,
  isFailedJob,
  type SourceObject,
} from '../core/contract/types';
import { requireEnv } from '../io/config';
import { readRun } from '../io/job-results';
import { addObjectTags } from '../io/s3';
import { bindRun, createLogger, createMetrics, publishRunMetrics, traced } from '../io/telemetry';
import { collectFromS3 } from './collect';

const logger = createLogger('collect-results');
const metrics = createMetrics();

/** The tags that mark the analyst's object as done. */
export function successTags(runId: string): Record<string, string> {
  return { 'bedrock-batch:status': 'succeeded', 'bedrock-batch:run-id': runId };
}

/** Step Functions task handler: returns where the results are and the run's counts, tokens and cost. */
export async function handler(input: CollectInput): Promise<CollectOutput> {
  const buckets = { work: requireEnv('WORK_BUCKET'), results: requireEnv('RESULTS_BUCKET') };
  const s3 = traced(new S3Client({}));
  bindRun(logger, { runId: input.runId, pipeline: input.pipeline });
  try {
    const run = await readRun(s3, buckets.work, input);
    const summary = await collectFromS3(s3, run, buckets);
    logger.info('Results published', {
      counts: summary.counts,
      tokens: summary.tokens,
      warnings: summary.warnings.map((w) => ({ code: w.code, shard: w.shard, count: w.count })),
    });
    const failure = run.jobs.find(isFailedJob);
    if (failure === undefined) await tagSource(s3, input.source, successTags(input.runId));
    const output: CollectOutput = {
      runId: input.runId,
      resultsBucket: buckets.results,
      resultsPrefix: summary.resultsPrefix,
      counts: summary.counts,
      tokens: summary.tokens,
      cost: { batchUsd: summary.cost.batchUsd, onDemandUsd: summary.cost.onDemandUsd },
      ...(failure !== undefined ? { failure: failure.error } : {}),
    };
    if (failure === undefined) {
      const run = { runId: input.runId, pipeline: input.pipeline, recordsSubmitted: input.prepared.records };
      publishRunMetrics(metrics, run, output);
    }
    return output;
  } finally {
    logger.resetKeys();
  }
}

/** Adds the run's tags to the input object's version, keeping its own tags; best effort. */
async function tagSource(s3: S3Client, source: SourceObject, tags: Record<string, string>): Promise<void> {
  try {
    if ((await addObjectTags(s3, source, tags)) === 'no-room') {
      logger.warn('Input object not tagged: it already has too many tags of its own');
    }
  } catch (error) {
    logger.warn('Could not tag the input object; the results are published', {
      error: (error as Error)?.name,
    });
  }
}
