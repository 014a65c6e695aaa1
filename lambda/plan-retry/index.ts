/**
 * Plan retry: after the first round, finds the rows that deserve a second chance (retryable errors,
 * rows never processed), plans the second round and, for an on-demand round, writes its inputs
 * (`runs/<runId>/retry-input/job-NN/shard-NNNN.jsonl`) and `retry-plan.json`. It reads the shards from
 * plan.json and the first round's results from `runs/<runId>/jobs/`. Returns counts and the items of the
 * second round's Map ("Retry on demand": `{ shard, part }` per shard part; "Retry batch jobs": the job
 * numbers, each job's input the folder `retry-input/job-NN/`), never record ids or keys.
 */
import type { RetryState } from '../core/contract/types';
import { s3Client } from '../io/clients';
import { requireEnv } from '../io/config';
import { type PlanRetryInput, planRetry } from '../io/retry-plan';

/** Step Functions task handler: returns `$.retry`. */
export async function handler(input: PlanRetryInput): Promise<RetryState> {
  return planRetry(s3Client(), requireEnv('WORK_BUCKET'), input);
}
