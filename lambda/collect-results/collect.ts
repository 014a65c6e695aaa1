/**
 * Collect at the edge: read the run's snapshot, plan, sidecars and Bedrock outputs from S3, stream the
 * results files into the ResultsBucket, publish them only when the counts reconcile (the three streamed
 * files are completed first, summary.json last; on any failure the uploads are aborted and nothing
 * appears), then tag the input object.
 */
import type { Readable } from 'node:stream';
import type { S3Client } from '@aws-sdk/client-s3';
import {
  collectRun,
  concatLines,
  planHeader,
  type RunSummary,
  readLines,
  type ShardJob,
} from '../core/collect';
import { describeFailure } from '../core/failure';
import {
  jobIdFromArn,
  jobOutputPrefix,
  pipelineSnapshotKey,
  RESULT_FILES,
  rejectedRowsKey,
  resultsPrefix,
} from '../core/layout';
import { type CollectInput, isFailedJob, type JobResult, type PipelineDefinition } from '../core/types';
import { getJson, openObject, openUpload, putJson } from '../io/s3';
import { listKeys } from '../io/s3-list';
import { FileSpillStore } from './spill-file';

/** The buckets Collect reads and writes. */
export interface CollectBuckets {
  readonly work: string;
  readonly results: string;
}

/** Runs Collect for one run and returns summary.json as published. */
export async function collectFromS3(
  s3: S3Client,
  input: CollectInput,
  buckets: CollectBuckets,
): Promise<RunSummary> {
  const { runId, prepared } = input;
  const pipeline = await getJson<PipelineDefinition>(s3, buckets.work, pipelineSnapshotKey(runId));
  if (pipeline === undefined)
    throw new Error(`The run's pipeline snapshot ${pipelineSnapshotKey(runId)} is missing`);
  const header = planHeader(await getJson<unknown>(s3, buckets.work, prepared.planKey));
  if (header === undefined) throw new Error(`The run's plan ${prepared.planKey} is missing or has no header`);

  const jobs = new Map(input.jobs.map((job) => [job.shard, job]));
  const rowsKeys = new Map(prepared.shards.map((shard) => [shard.shard, shard.rowsKey]));
  const shards: ShardJob[] = prepared.shards.map((shard) =>
    shardJob(shard.shard, shard.records, jobs.get(shard.shard)),
  );
  const jobArns = new Map(shards.map((shard) => [shard.shard, shard.job?.jobArn]));
  const outputPrefix = (shard: number) => jobOutputPrefix(runId, jobIdFromArn(jobArns.get(shard)!));
  const sources = {
    sidecarLines: (shard: number) => readLines(objectOrEmpty(s3, buckets.work, rowsKeys.get(shard)!)),
    outputLines: (shard: number) => concatLines(outputFiles(s3, buckets.work, outputPrefix(shard))),
    manifest: (shard: number) => readManifest(s3, buckets.work, `${outputPrefix(shard)}manifest.json.out`),
    rejectedLines: () => readLines(objectOrEmpty(s3, buckets.work, rejectedRowsKey(runId))),
  };

  const prefix = resultsPrefix(input.pipeline, runId);
  const upload = (name: string, type: string) => openUpload(s3, buckets.results, `${prefix}${name}`, type);
  const sinks = {
    csv: upload(RESULT_FILES.csv, 'text/csv; charset=utf-8'),
    jsonl: upload(RESULT_FILES.jsonl, 'application/jsonl'),
    errors: upload(RESULT_FILES.errors, 'text/csv; charset=utf-8'),
  };
  const store = await FileSpillStore.create();
  try {
    const summary = await collectRun(
      {
        runId,
        pipeline,
        header,
        inputRows: prepared.rows,
        shards,
        resultsPrefix: prefix,
        createdAt: new Date().toISOString(),
      },
      sources,
      store,
      sinks,
    );
    await Promise.all([sinks.csv.close(), sinks.jsonl.close(), sinks.errors.close()]);
    await putJson(s3, buckets.results, `${prefix}${RESULT_FILES.summary}`, summary);
    return summary;
  } catch (error) {
    await Promise.allSettled([sinks.csv.abort(), sinks.jsonl.abort(), sinks.errors.abort()]);
    throw error;
  } finally {
    await store.dispose();
  }
}

/** What Collect knows of a shard's job: its ARN and status when it exists, and why it failed if it did. */
function shardJob(shard: number, records: number, job: JobResult | undefined): ShardJob {
  if (job === undefined) return { shard, records };
  if (!isFailedJob(job)) return { shard, records, job: { jobArn: job.jobArn, status: job.status } };
  const { code, message } = describeFailure(job.error);
  return {
    shard,
    records,
    failure: { code, message },
    ...(job.jobArn !== undefined ? { job: { jobArn: job.jobArn, status: job.status ?? 'Failed' } } : {}),
  };
}

async function* objectOrEmpty(s3: S3Client, bucket: string, key: string): AsyncGenerator<Buffer> {
  const body = await openObject(s3, bucket, key);
  if (body !== undefined) yield* body as AsyncIterable<Buffer>;
}

async function* outputFiles(s3: S3Client, bucket: string, prefix: string): AsyncGenerator<Readable> {
  for await (const key of listKeys(s3, bucket, prefix)) {
    if (!key.endsWith('.jsonl.out')) continue;
    const body = await openObject(s3, bucket, key);
    if (body !== undefined) yield body;
  }
}

async function readManifest(s3: S3Client, bucket: string, key: string): Promise<unknown> {
  try {
    return await getJson<unknown>(s3, bucket, key);
  } catch (error) {
    if (error instanceof SyntaxError) return undefined;
    throw error;
  }
}
