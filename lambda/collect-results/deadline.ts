/**
 * Collect's part of the deadline: summary.json's `deadline` member, from the run's deadline (Prepare),
 * the first round's results (a stopped job's switch record) and the tokens of the switched shards'
 * on-demand invocations (their manifests).
 */
import type { S3Client } from '@aws-sdk/client-s3';
import { isFailedJob } from '../core/contract/job-types';
import { jobIdFromArn, jobOutputPrefix, manifestKey } from '../core/contract/layout';
import type { CollectedRun } from '../core/contract/types';
import { switchedShards } from '../core/deadline/retry';
import { type DeadlineSummary, summarizeDeadline } from '../core/deadline/summary';
import { getJson } from '../io/s3';

/** summary.json with its `deadline` member, when the run has a deadline. */
export type WithDeadline<T> = T & { readonly deadline?: DeadlineSummary };

/** The `deadline` member of the run, `undefined` without a deadline. */
export async function deadlineSummary(
  s3: S3Client,
  bucket: string,
  run: CollectedRun,
): Promise<DeadlineSummary | undefined> {
  const deadline = run.prepared.deadline;
  if (deadline == null || run.runStartedAt === undefined) return undefined;
  const switched = switchedShards(run.jobs);
  const tokens = { input: 0, output: 0 };
  if (run.retry?.mode === 'on-demand') {
    for (const job of run.retryJobs) {
      if (isFailedJob(job) || !switched.has(job.shard)) continue;
      const manifest = await getJson<Record<string, unknown>>(
        s3,
        bucket,
        manifestKey(jobOutputPrefix(run.runId, jobIdFromArn(job.jobArn))),
      ).catch(() => undefined);
      tokens.input += typeof manifest?.inputTokenCount === 'number' ? manifest.inputTokenCount : 0;
      tokens.output += typeof manifest?.outputTokenCount === 'number' ? manifest.outputTokenCount : 0;
    }
  }
  const records = new Map(run.shards.map((shard) => [shard.shard, shard.records]));
  return summarizeDeadline({
    modelId: run.prepared.modelId,
    deadline,
    runStartedAt: run.runStartedAt,
    publishedAt: run.now,
    jobs: run.jobs.map((job) => ({ job, records: records.get(job.shard) ?? 0 })),
    onDemandTokens: tokens,
  });
}

/** `summary` with `deadline` added when there is one. */
export function withDeadline<T extends object>(
  summary: T,
  deadline: DeadlineSummary | undefined,
): WithDeadline<T> {
  return deadline === undefined ? summary : { ...summary, deadline };
}
