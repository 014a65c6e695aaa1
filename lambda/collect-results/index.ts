/**
 * Collect results: joins every job's Bedrock output back to the rows, publishes results.csv,
 * results.jsonl, errors.csv and summary.json, and tags the input object as succeeded.
 * Throws ResultsMismatchError (nothing published) when the counts do not reconcile, and RunTooLargeError
 * (nothing published) when the run's output cannot be read before Lambda's timeout (core/collect/time-limit.ts).
 */
import type { CollectInput, CollectOutput } from '../core/contract/types';
import { deadlineOf, type RemainingTime } from '../core/on-demand/budget';
import { s3Client } from '../io/clients';
import { collectOutcome } from '../io/collect-outcome';
import { requireEnv } from '../io/config';
import { readRun } from '../io/job-results';
import { bindRun, createLogger, createMetrics } from '../io/telemetry';
import { collectFromS3 } from './collect';

const logger = createLogger('collect-results');
const metrics = createMetrics();

/** Step Functions task handler: returns where the results are and the run's counts, tokens and cost. */
export async function handler(input: CollectInput, context?: RemainingTime): Promise<CollectOutput> {
  const buckets = { work: requireEnv('WORK_BUCKET'), results: requireEnv('RESULTS_BUCKET') };
  const s3 = s3Client();
  bindRun(logger, { runId: input.runId, pipeline: input.pipeline });
  try {
    const run = await readRun(s3, buckets.work, input);
    const summary = await collectFromS3(s3, run, buckets, deadlineOf(context));
    logger.info('Results published', {
      counts: summary.counts,
      tokens: summary.tokens,
      warnings: summary.warnings.map((w) => ({ code: w.code, shard: w.shard, count: w.count })),
    });
    return await collectOutcome(s3, run, summary, buckets.results, { logger, metrics });
  } finally {
    logger.resetKeys();
  }
}
