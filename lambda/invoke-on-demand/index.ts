/**
 * Invoke on demand: runs one shard through the Bedrock runtime API (InvokeModel, or Converse for
 * Converse pipelines) instead of a batch job, for runs below the batch minimum and for small retry
 * rounds. It writes `shard-NNNN.jsonl.out` and `manifest.json.out` where a batch job would
 * (`runs/<runId>/batch-output/<pseudoJobId>/`) and returns the `JobResult` the Map iteration would, so
 * Collect reads the outputs unchanged. Records left when the time budget runs out have no output line:
 * the result is `PartiallyCompleted` and Collect reports them missing (the retry round takes them).
 */

import { jobOutputPrefix, manifestKey, shardOutputKey } from '../core/contract/layout';
import type { FinishedJob, SubmitJobInput } from '../core/contract/types';
import { onDemandInputKey } from '../core/job/shard-input';
import { readLines } from '../core/jsonl/lines';
import { outputKind } from '../core/models/output';
import { DEFAULT_BACKOFF } from '../core/on-demand/backoff';
import { type Deadline, NO_DEADLINE } from '../core/on-demand/budget';
import { countersOf, manifestOf, processShard, statusOf } from '../core/on-demand/process';
import { onDemandJobArn, onDemandJobId } from '../core/on-demand/pseudo-job';
import { runtimeClient, s3Client } from '../io/clients';
import { optionalEnv, requireEnv } from '../io/config';
import { invokeRecord } from '../io/runtime';
import { openObject, openUpload, putJson } from '../io/s3';
import { bindRun, createLogger } from '../io/telemetry';

const logger = createLogger('invoke-on-demand');

/** Concurrent model calls when `ON_DEMAND_CONCURRENCY` is not set. */
export const DEFAULT_CONCURRENCY = 4;

/**
 * A Map item (`SubmitJobInput`); for a retry round, the round and the part of the shard's retried
 * records this invocation takes (they select a fresh pseudo job id and the input). Both default to 1.
 */
export type OnDemandInput = SubmitJobInput;

/** The part of the Lambda context this handler reads. */
export interface RemainingTime {
  getRemainingTimeInMillis(): number;
}

function intEnv(name: string, min: number, max: number, fallback: number): number {
  const text = optionalEnv(name);
  if (text === undefined) return fallback;
  const value = Number(text);
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new Error(`${name} must be an integer from ${min} to ${max}, got ${JSON.stringify(text)}`);
  }
  return value;
}

/** Step Functions task handler: the input a Map iteration gets, the result a finished job gives. */
export async function handler(input: OnDemandInput, context?: RemainingTime): Promise<FinishedJob> {
  const bucket = requireEnv('WORK_BUCKET');
  const workers = intEnv('ON_DEMAND_CONCURRENCY', 1, 64, DEFAULT_CONCURRENCY);
  const backoff = {
    ...DEFAULT_BACKOFF,
    baseMs: intEnv('ON_DEMAND_BACKOFF_BASE_MS', 1, 60_000, DEFAULT_BACKOFF.baseMs),
  };
  const { runId, shard, modelId, invocationType } = input;
  const jobId = onDemandJobId(runId, shard, input.round ?? 1, input.part ?? 1);
  const prefix = jobOutputPrefix(runId, jobId);
  const deadline: Deadline = context
    ? { remainingMs: () => context.getRemainingTimeInMillis() }
    : NO_DEADLINE;
  const s3 = s3Client();
  const runtime = runtimeClient();
  bindRun(logger, { runId, pipeline: input.pipeline });
  logger.appendKeys({ shard, jobId });
  try {
    const inputKey = onDemandInputKey(input);
    const body = await openObject(s3, bucket, inputKey);
    if (body === undefined) throw new Error(`The shard ${inputKey} is missing`);
    const sink = openUpload(s3, bucket, shardOutputKey(prefix, shard), 'application/jsonl');
    let report: Awaited<ReturnType<typeof processShard>>;
    try {
      report = await processShard(
        readLines(body),
        (record) => invokeRecord(runtime, modelId, invocationType, record.modelInput),
        (line) => sink.write(line),
        { kind: outputKind(modelId, invocationType), concurrency: workers, deadline, backoff },
      );
      await sink.close();
    } catch (error) {
      await sink.abort().catch(() => undefined);
      throw error;
    }
    await putJson(s3, bucket, manifestKey(prefix), manifestOf(report));
    const result: FinishedJob = {
      shard,
      jobArn: onDemandJobArn(jobId),
      status: statusOf(report),
      counters: countersOf(report),
    };
    logger.info('On-demand shard done', { ...result.counters, ...report, status: result.status });
    return result;
  } finally {
    logger.resetKeys();
    runtime.destroy();
    s3.destroy();
  }
}
