/**
 * The edge of Plan retry: reads the run's pipeline snapshot, plan.json and the first round's results
 * (`runs/<runId>/jobs/`), scans each finished shard's outputs against its row sidecar, and writes the
 * second round's plan and, for an on-demand round, its inputs. The rules are lambda/core/retry.
 */
import type { S3Client } from '@aws-sdk/client-s3';
import { isFailedJob } from '../core/contract/job-types';
import { jobIdFromArn, jobOutputPrefix, pipelineSnapshotKey, retryPlanKey } from '../core/contract/layout';
import type { CollectInput, PipelineDefinition, RetryState, ShardRef } from '../core/contract/types';
import { DeadlineRetrySelector, planAfterDeadline, switchedShards } from '../core/deadline/retry';
import { concatLines, readLines } from '../core/jsonl/lines';
import { outputModeFor } from '../core/jsonl/outcome';
import { DEFAULT_RETRY_ROUND } from '../core/retry/retry-round';
import { scanShard } from '../core/retry/retry-scan';
import { readFirstRound } from './job-results';
import { writeRetryInputs } from './retry-inputs';
import { getJson, putJson, readObjectOrNothing } from './s3';
import { openJobOutputs } from './s3-list';

/** What Plan retry reads: Collect's input without the second round. */
export type PlanRetryInput = Omit<CollectInput, 'retry' | 'now'>;

const NONE: RetryState = { mode: 'none', selected: 0, byReason: {}, items: [] };

/**
 * Plans the second round of a run: scans the first round's outputs, writes `retry-plan.json` and the
 * on-demand inputs, and returns `$.retry`.
 */
export async function planRetry(s3: S3Client, bucket: string, input: PlanRetryInput): Promise<RetryState> {
  const pipeline = await getJson<PipelineDefinition>(s3, bucket, pipelineSnapshotKey(input.runId));
  if (pipeline === undefined) throw new Error(`The run's pipeline snapshot is missing (${input.runId})`);
  const retryRound = pipeline.retryRound ?? DEFAULT_RETRY_ROUND;
  if (!retryRound && pipeline.deadlineHours === undefined) return NONE;
  const mode = outputModeFor(pipeline);
  const { shards: allShards, jobs } = await readFirstRound(s3, bucket, input);
  // A deadline switch sends the rows its stopped job did not process on demand (lambda/core/deadline).
  const switched = switchedShards(jobs);
  const selector = new DeadlineRetrySelector(retryRound, switched);
  const finished = new Map(
    jobs.filter((job) => !isFailedJob(job)).map((job) => [job.shard, job.jobArn as string]),
  );
  const shards = new Map<number, ShardRef>(allShards.map((shard) => [shard.shard, shard]));
  for (const shard of allShards) {
    const jobArn = finished.get(shard.shard);
    if (jobArn === undefined || !selector.wants(shard.shard)) continue;
    const prefix = jobOutputPrefix(input.runId, jobIdFromArn(jobArn));
    await scanShard(
      shard.shard,
      concatLines(openJobOutputs(s3, bucket, prefix)),
      readLines(readObjectOrNothing(s3, bucket, shard.rowsKey)),
      mode,
      selector,
    );
  }
  const selection = selector.selection();
  const plan = planAfterDeadline(
    selection.shards.map((entry) => ({ shard: entry.shard, records: entry.recordIds.size })),
    true,
    switched.size,
    { minRecordsPerJob: pipeline.minRecordsPerJob, maxRecordsPerJob: pipeline.maxRecordsPerJob },
  );
  const counts = { selected: selection.total, byReason: selection.byReason };
  if (plan.mode === 'none') return { ...NONE, ...counts };
  await putJson(s3, bucket, retryPlanKey(input.runId), { ...plan, ...counts });
  const refs = await writeRetryInputs(s3, bucket, input.runId, plan, selection, shards);
  if (plan.mode === 'on-demand') {
    return {
      mode: 'on-demand',
      ...counts,
      items: refs.map((ref) => ({ shard: ref.shard.shard, part: ref.job })),
    };
  }
  return { mode: 'batch', ...counts, items: plan.jobs.map(({ job }) => job) };
}
