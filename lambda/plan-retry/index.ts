/**
 * Plan retry: after the first round, finds the rows that deserve a second chance (retryable errors,
 * rows never processed), plans the second round and, for an on-demand round, writes its inputs
 * (`runs/<runId>/retry-input/job-NN/shard-NNNN.jsonl`) and `retry-plan.json`. It reads the shards from
 * plan.json and the first round's results from `runs/<runId>/jobs/`. Returns counts and the items of the
 * second round's Map ("Retry on demand": `{ shard, part }` per shard part; "Retry batch jobs": the job
 * numbers, each job's input the folder `retry-input/job-NN/`), never record ids or keys.
 */
import { S3Client as Client } from '@aws-sdk/client-s3';
import { concatLines, outputModeFor, readLines } from '../core/collect';
import { DeadlineRetrySelector, planAfterDeadline, switchedShards } from '../core/deadline/retry';
import { jobIdFromArn, jobOutputPrefix, pipelineSnapshotKey } from '../core/layout';
import { DEFAULT_RETRY_ROUND, retryPlanKey } from '../core/retry-round';
import { scanShard } from '../core/retry-scan';
import {
  type CollectInput,
  isFailedJob,
  type PipelineDefinition,
  type RetryState,
  type ShardRef,
} from '../core/types';
import { requireEnv } from '../io/config';
import { readFirstRound } from '../io/job-results';
import { getJson, putJson, readObjectOrNothing } from '../io/s3';
import { openJobOutputs } from '../io/s3-list';
import { writeRetryInputs } from './inputs';

/** What Plan retry reads: Collect's input without the second round. */
export type PlanRetryInput = Omit<CollectInput, 'retry' | 'now'>;

const NONE: RetryState = { mode: 'none', selected: 0, byReason: {}, items: [] };

/** Step Functions task handler: returns `$.retry`. */
export async function handler(input: PlanRetryInput): Promise<RetryState> {
  const bucket = requireEnv('WORK_BUCKET');
  const s3 = new Client({});
  try {
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
  } finally {
    s3.destroy();
  }
}
