/**
 * One shard on demand, end to end against S3 and the Bedrock runtime: reads the shard's input, runs
 * its records through the model (lambda/core/on-demand/process.ts), streams the output lines to
 * `shard-NNNN.jsonl.out` and writes `manifest.json.out` beside it, where a batch job would.
 */
import type { BedrockRuntimeClient } from '@aws-sdk/client-bedrock-runtime';
import type { S3Client } from '@aws-sdk/client-s3';
import { jobOutputPrefix, manifestKey, shardOutputKey } from '../core/contract/layout';
import type { SubmitJobInput } from '../core/contract/types';
import { onDemandInputKey } from '../core/job/shard-input';
import { readLines } from '../core/jsonl/lines';
import { outputKind } from '../core/models/output';
import type { Deadline } from '../core/on-demand/budget';
import { manifestOf, type OnDemandReport, processShard } from '../core/on-demand/process';
import type { OnDemandSettings } from './on-demand-settings';
import { invokeRecord } from './runtime';
import { openObject, openUpload, putJson } from './s3';

/** The clients a shard run uses. */
export interface OnDemandClients {
  readonly s3: S3Client;
  readonly runtime: BedrockRuntimeClient;
}

/**
 * Runs `input`'s shard as the pseudo job `jobId` and returns what happened. A missing input throws; a
 * failure while processing aborts the output upload (no partial object) and is thrown again.
 */
export async function runOnDemandShard(
  clients: OnDemandClients,
  settings: OnDemandSettings,
  input: SubmitJobInput,
  jobId: string,
  deadline: Deadline,
): Promise<OnDemandReport> {
  const { s3, runtime } = clients;
  const { bucket, concurrency, backoff } = settings;
  const { runId, shard, modelId, invocationType } = input;
  const prefix = jobOutputPrefix(runId, jobId);
  const inputKey = onDemandInputKey(input);
  const body = await openObject(s3, bucket, inputKey);
  if (body === undefined) throw new Error(`The shard ${inputKey} is missing`);
  const sink = openUpload(s3, bucket, shardOutputKey(prefix, shard), 'application/jsonl');
  let report: OnDemandReport;
  try {
    report = await processShard(
      readLines(body),
      (record) => invokeRecord(runtime, modelId, invocationType, record.modelInput),
      (line) => sink.write(line),
      { kind: outputKind(modelId, invocationType), concurrency, deadline, backoff },
    );
    await sink.close();
  } catch (error) {
    await sink.abort().catch(() => undefined);
    throw error;
  }
  await putJson(s3, bucket, manifestKey(prefix), manifestOf(report));
  return report;
}
