/**
 * Collect at the edge: read the run's snapshot, plan, sidecars and Bedrock outputs from S3, stream the
 * results files into the ResultsBucket, publish them only when the counts reconcile (the three streamed
 * files are completed first, then report.html, summary.json last; on any failure the uploads are
 * aborted and nothing appears), then tag the input object.
 */
import type { Readable } from 'node:stream';
import type { S3Client } from '@aws-sdk/client-s3';
import { inJoinOrder, type ShardJob } from '../core/collect/join';
import { parseManifest } from '../core/collect/manifest';
import { type CollectRunInput, collectRun, type RunSummary } from '../core/collect/run';
import { withinTime } from '../core/collect/time-limit';
import { isFailedJob, type JobResult } from '../core/contract/job-types';
import {
  jobIdFromArn,
  jobOutputPrefix,
  manifestKey,
  pipelineSnapshotKey,
  RESULT_FILES,
  rejectedRowsKey,
  resultsPrefix,
  retryPlanKey,
  shardOutputKey,
} from '../core/contract/layout';
import type { CollectedRun, PipelineDefinition } from '../core/contract/types';
import { carrySlotBytes } from '../core/dedupe/carry-bound';
import { FileCarryStore } from '../core/dedupe/carry-store';
import { describeFailure } from '../core/job/failure';
import { concatLines, readByteLines, readLines } from '../core/jsonl/lines';
import { planHeader } from '../core/jsonl/sidecar';
import { type Deadline, NO_DEADLINE } from '../core/on-demand/budget';
import { ReportRows, renderReport, reportFromCollect } from '../core/report';
import { pipelineSha256 } from '../core/rerun/fingerprint';
import { planExtras } from '../core/rerun/plan-extras';
import { RoundMerge } from '../core/retry/merge';
import type { RetryPlan } from '../core/retry/retry-round';
import { putReport } from '../io/report';
import { getJson, openObject, openUpload, putJson, readObjectOrNothing } from '../io/s3';
import { openJobOutputs } from '../io/s3-list';
import { deadlineSummary, withDeadline } from './deadline';
import { FileSpillStore } from './spill-file';

/** The buckets Collect reads and writes. */
export interface CollectBuckets {
  readonly work: string;
  readonly results: string;
}

/** Runs Collect for one run and returns summary.json as published. */
export async function collectFromS3(
  s3: S3Client,
  input: CollectedRun,
  buckets: CollectBuckets,
  deadline: Deadline = NO_DEADLINE,
): Promise<RunSummary> {
  const { runId, prepared } = input;
  const pipeline = await getJson<PipelineDefinition>(s3, buckets.work, pipelineSnapshotKey(runId));
  if (pipeline === undefined)
    throw new Error(`The run's pipeline snapshot ${pipelineSnapshotKey(runId)} is missing`);
  const plan = await getJson<unknown>(s3, buckets.work, prepared.planKey);
  const header = planHeader(plan);
  if (header === undefined) throw new Error(`The run's plan ${prepared.planKey} is missing or has no header`);

  const jobs = new Map(input.jobs.map((job) => [job.shard, job]));
  const rowsKeys = new Map(input.shards.map((shard) => [shard.shard, shard.rowsKey]));
  const shards: ShardJob[] = input.shards.map((shard) =>
    shardJob(shard.shard, shard.records, jobs.get(shard.shard)),
  );
  const jobArns = new Map(shards.map((shard) => [shard.shard, shard.job?.jobArn]));
  const outputPrefix = (shard: number) => jobOutputPrefix(runId, jobIdFromArn(jobArns.get(shard)!));
  const firstLines = (shard: number) => concatLines(openJobOutputs(s3, buckets.work, outputPrefix(shard)));
  const firstManifest = (shard: number) => readManifest(s3, buckets.work, manifestKey(outputPrefix(shard)));
  const second = await secondRound(s3, buckets.work, runId, input);
  const merges = new Map<number, RoundMerge>();
  for (const [shard, keys] of second.keys) {
    const lines = () => concatLines(objects(s3, buckets.work, keys));
    merges.set(shard, new RoundMerge(() => firstLines(shard), lines));
  }
  // A shard's place in the join's order is what an out-of-time failure reports.
  const order = new Map(inJoinOrder(shards).map((shard, i) => [shard.shard, i + 1]));
  const place = (shard: number) => ({ position: order.get(shard)!, shards: order.size, rows: prepared.rows });
  const sources = {
    sidecarLines: (shard: number) =>
      withinTime(
        readByteLines(readObjectOrNothing(s3, buckets.work, rowsKeys.get(shard)!)),
        deadline,
        place(shard),
      ),
    outputLines: (shard: number) =>
      withinTime(merges.get(shard)?.lines() ?? firstLines(shard), deadline, place(shard)),
    manifest: async (shard: number) => {
      const merge = merges.get(shard);
      const first = await firstManifest(shard);
      return merge === undefined ? first : merge.manifest(first);
    },
    rejectedLines: () => readLines(readObjectOrNothing(s3, buckets.work, rejectedRowsKey(runId))),
    replaced: (shard: number, recordId: string) => merges.get(shard)?.replaced(recordId) ?? false,
  };
  const retryTokens = { input: 0, output: 0 };
  for (const prefix of second.prefixes) {
    const used = parseManifest(await readManifest(s3, buckets.work, manifestKey(prefix)));
    retryTokens.input += used?.inputTokenCount ?? 0;
    retryTokens.output += used?.outputTokenCount ?? 0;
  }

  const prefix = resultsPrefix(input.pipeline, runId);
  const upload = (name: string, type: string) => openUpload(s3, buckets.results, `${prefix}${name}`, type);
  const sinks = {
    csv: upload(RESULT_FILES.csv, 'text/csv; charset=utf-8'),
    jsonl: upload(RESULT_FILES.jsonl, 'application/jsonl'),
    errors: upload(RESULT_FILES.errors, 'text/csv; charset=utf-8'),
  };
  const store = await FileSpillStore.create();
  const reportRows = new ReportRows(header);
  const extras = runExtras(s3, buckets, pipeline, plan);
  try {
    const summary = await collectRun(
      {
        runId,
        pipeline,
        header,
        inputRows: prepared.rows,
        shards,
        resultsPrefix: prefix,
        createdAt: new Date(input.now).toISOString(),
        mode: prepared.mode === 'on-demand' ? 'on-demand' : 'batch',
        ...(input.retry === undefined
          ? {}
          : {
              retry: {
                mode: input.retry.mode,
                selected: input.retry.selected,
                byReason: input.retry.byReason,
                jobs: second.jobs,
                tokens: retryTokens,
              },
            }),
        ...extras.input,
      },
      sources,
      store,
      sinks,
      reportRows,
    );
    await Promise.all([sinks.csv.close(), sinks.jsonl.close(), sinks.errors.close()]);
    const published = withDeadline(summary, await deadlineSummary(s3, buckets.work, input));
    const failed = input.jobs.find(isFailedJob);
    const report = reportFromCollect({
      summary: published,
      rows: reportRows.snapshot(),
      jobs: input.jobs,
      retryJobs: input.retryJobs,
      ...(failed === undefined ? {} : { failure: describeFailure(failed.error) }),
      failureCode: (job) => describeFailure(job.error).code,
    });
    await putReport(s3, buckets.results, `${prefix}${RESULT_FILES.html}`, renderReport(report));
    await putJson(s3, buckets.results, `${prefix}${RESULT_FILES.summary}`, published);
    return published;
  } catch (error) {
    await Promise.allSettled([sinks.csv.abort(), sinks.jsonl.abort(), sinks.errors.abort()]);
    throw error;
  } finally {
    await store.dispose();
    extras.dispose();
  }
}

/** Dedupe and re-run inputs of Collect, from what plan.json says of them. */
function runExtras(
  s3: S3Client,
  buckets: CollectBuckets,
  definition: PipelineDefinition,
  plan: unknown,
): { input: Pick<CollectRunInput, 'dedupe' | 'rerun' | 'fingerprint'>; dispose: () => void } {
  const pipeline = definition.name;
  const { dedupe, rerun, inputSha256 } = planExtras(plan);
  const carry = dedupe === undefined ? undefined : new FileCarryStore(carrySlotBytes(definition));
  const input: Pick<CollectRunInput, 'dedupe' | 'rerun' | 'fingerprint'> = {
    ...(inputSha256 === undefined
      ? {}
      : { fingerprint: { inputSha256, pipelineSha256: pipelineSha256(definition) } }),
    ...(dedupe === undefined || carry === undefined
      ? {}
      : {
          dedupe: {
            records: dedupe.records,
            lines: () => readLines(readObjectOrNothing(s3, buckets.work, dedupe.key)),
            carry,
          },
        }),
    ...(rerun === undefined
      ? {}
      : {
          rerun: {
            previousRunId: rerun.previousRunId,
            lines: () =>
              readLines(
                readObjectOrNothing(
                  s3,
                  buckets.results,
                  `${resultsPrefix(pipeline, rerun.previousRunId)}${RESULT_FILES.jsonl}`,
                ),
              ),
          },
        }),
  };
  return { input, dispose: () => carry?.dispose() };
}

/**
 * The second round's finished jobs or invocations: their output prefixes (for the tokens), the
 * `shard-NNNN.jsonl.out` keys they wrote for each original shard, and how many ran. An on-demand
 * result names its shard; a batch result names its retry job, whose shards the plan lists.
 */
async function secondRound(
  s3: S3Client,
  bucket: string,
  runId: string,
  input: CollectedRun,
): Promise<{ prefixes: string[]; keys: Map<number, string[]>; jobs: number }> {
  const keys = new Map<number, string[]>();
  const prefixes: string[] = [];
  const jobs = input.retryJobs;
  const finished = jobs.filter((job) => !isFailedJob(job));
  const plan =
    input.retry?.mode === 'batch' && finished.length > 0
      ? await getJson<RetryPlan>(s3, bucket, retryPlanKey(runId))
      : undefined;
  for (const job of finished) {
    const prefix = jobOutputPrefix(runId, jobIdFromArn(job.jobArn as string));
    prefixes.push(prefix);
    const shards =
      input.retry?.mode === 'batch'
        ? (plan?.jobs.find((entry) => entry.job === job.shard)?.slices.map((slice) => slice.shard) ?? [])
        : [job.shard];
    for (const shard of new Set(shards)) {
      const list = keys.get(shard) ?? [];
      list.push(shardOutputKey(prefix, shard));
      keys.set(shard, list);
    }
  }
  return { prefixes, keys, jobs: jobs.length };
}

async function* objects(s3: S3Client, bucket: string, keys: readonly string[]): AsyncGenerator<Readable> {
  for (const key of keys) {
    const body = await openObject(s3, bucket, key);
    if (body !== undefined) yield body;
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

async function readManifest(s3: S3Client, bucket: string, key: string): Promise<unknown> {
  try {
    return await getJson<unknown>(s3, bucket, key);
  } catch (error) {
    if (error instanceof SyntaxError) return undefined;
    throw error;
  }
}
