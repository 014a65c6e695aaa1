/**
 * Invoke on demand: runs one shard through the Bedrock runtime API (InvokeModel, or Converse for
 * Converse pipelines) instead of a batch job, for runs below the batch minimum and for small retry
 * rounds. It writes `shard-NNNN.jsonl.out` and `manifest.json.out` where a batch job would
 * (`runs/<runId>/batch-output/<pseudoJobId>/`) and returns the `JobResult` the Map iteration would, so
 * Collect reads the outputs unchanged. Records left when the time budget runs out have no output line:
 * the result is `PartiallyCompleted` and Collect reports them missing (the retry round takes them).
 */

import type { FinishedJob } from '../core/contract/job-types';
import type { SubmitJobInput } from '../core/contract/types';
import { deadlineOf, type RemainingTime } from '../core/on-demand/budget';
import { finishedJobOf } from '../core/on-demand/finished-job';
import { onDemandJobId } from '../core/on-demand/pseudo-job';
import { runtimeClient, s3Client } from '../io/clients';
import { onDemandSettings } from '../io/on-demand-settings';
import { runOnDemandShard } from '../io/on-demand-shard';
import { bindRun, createLogger } from '../io/telemetry';

const logger = createLogger('invoke-on-demand');

/**
 * A Map item (`SubmitJobInput`); for a retry round, the round and the part of the shard's retried
 * records this invocation takes (they select a fresh pseudo job id and the input). Both default to 1.
 */
export type OnDemandInput = SubmitJobInput;

/** Step Functions task handler: the input a Map iteration gets, the result a finished job gives. */
export async function handler(input: OnDemandInput, context?: RemainingTime): Promise<FinishedJob> {
  const settings = onDemandSettings();
  const jobId = onDemandJobId(input.runId, input.shard, input.round ?? 1, input.part ?? 1);
  bindRun(logger, { runId: input.runId, pipeline: input.pipeline });
  logger.appendKeys({ shard: input.shard, jobId });
  try {
    const clients = { s3: s3Client(), runtime: runtimeClient() };
    const report = await runOnDemandShard(clients, settings, input, jobId, deadlineOf(context));
    const result = finishedJobOf(input.shard, jobId, report);
    logger.info('On-demand shard done', { ...result.counters, ...report, status: result.status });
    return result;
  } finally {
    logger.resetKeys();
  }
}
