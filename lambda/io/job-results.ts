/**
 * Reads what the execution state no longer carries: the run's shards (plan.json) and the results the
 * Map iterations wrote to `runs/<runId>/jobs/` (Record job result).
 */
import type { S3Client } from '@aws-sdk/client-s3';
import type { JobResult } from '../core/contract/job-types';
import { retryPlanKey } from '../core/contract/layout';
import type { CollectedRun, CollectInput, ShardRef } from '../core/contract/types';
import { missingResult, resultKeyOf } from '../core/job/shard-input';
import type { Plan } from '../core/prepare/plan';
import type { RetryPlan } from '../core/retry/retry-round';
import { getJson } from './s3';

/** Objects read at once. */
const PARALLEL_READS = 16;

/** The shards Prepare wrote, from plan.json. */
async function readShards(s3: S3Client, bucket: string, planKey: string): Promise<ShardRef[]> {
  const plan = await getJson<Pick<Plan, 'shards'>>(s3, bucket, planKey);
  if (plan === undefined || !Array.isArray(plan.shards)) {
    throw new Error(`The run's plan ${planKey} is missing or lists no shards`);
  }
  return [...plan.shards];
}

/**
 * The results of one round, in the order of `numbers` (shards in the first round, job or part numbers in
 * the second); a number without a result gets a `FailedJob` (`JobResultMissingError`).
 */
export async function readJobResults(
  s3: S3Client,
  bucket: string,
  runId: string,
  round: number,
  numbers: readonly number[],
): Promise<JobResult[]> {
  const results: JobResult[] = new Array(numbers.length);
  let next = 0;
  const worker = async () => {
    while (next < numbers.length) {
      const index = next++;
      const number = numbers[index]!;
      const key = resultKeyOf({ runId, shard: number, round, part: number });
      results[index] = (await getJson<JobResult>(s3, bucket, key)) ?? missingResult(number, key);
    }
  };
  await Promise.all(Array.from({ length: Math.min(PARALLEL_READS, numbers.length) }, worker));
  return results;
}

/** The first round: the shards Prepare wrote and each one's job result, in shard order. */
export async function readFirstRound(
  s3: S3Client,
  bucket: string,
  run: { readonly runId: string; readonly prepared: { readonly planKey: string } },
): Promise<{ shards: ShardRef[]; jobs: JobResult[] }> {
  const shards = await readShards(s3, bucket, run.prepared.planKey);
  const numbers = shards.map((shard) => shard.shard);
  return { shards, jobs: await readJobResults(s3, bucket, run.runId, 1, numbers) };
}

/** The run as Collect and Plan retry work from it: its shards and both rounds' results, from S3. */
export async function readRun(s3: S3Client, bucket: string, input: CollectInput): Promise<CollectedRun> {
  const { shards, jobs } = await readFirstRound(s3, bucket, input);
  let retryJobs: JobResult[] = [];
  if (input.retry !== undefined && input.retry.mode !== 'none') {
    const plan = await getJson<RetryPlan>(s3, bucket, retryPlanKey(input.runId));
    if (plan === undefined) throw new Error(`The run's retry plan ${retryPlanKey(input.runId)} is missing`);
    retryJobs = await readJobResults(
      s3,
      bucket,
      input.runId,
      2,
      plan.jobs.map((job) => job.job),
    );
  }
  return { ...input, shards, jobs, retryJobs };
}
