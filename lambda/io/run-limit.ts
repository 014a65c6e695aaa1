/**
 * The run limit for Check job: a batch job still running longer after submission than the run allows
 * (`MAX_RUN_HOURS`, else the job's own timeout) is stopped, and the shard fails with `TIMEOUT`.
 */
import type { Logger } from '@aws-lambda-powertools/logger';
import type { BedrockClient } from '@aws-sdk/client-bedrock';
import { JobTimeoutError } from '../core/contract/errors';
import type { JobState } from '../core/contract/job-types';
import { isPastDeadline, maxRunHours } from '../core/job/job-status';
import { stopJob } from './bedrock';
import { optionalEnv } from './config';

/**
 * Returns when `job` is within the limit at `now` (or not running); otherwise stops it and throws
 * {@link JobTimeoutError}.
 */
export async function enforceRunLimit(
  bedrock: BedrockClient,
  logger: Logger,
  job: JobState,
  timeoutHours: number,
  now: Date,
): Promise<void> {
  const limitHours = maxRunHours(optionalEnv('MAX_RUN_HOURS'), timeoutHours);
  if (job.outcome !== 'running' || !isPastDeadline(job, now, limitHours)) return;
  const stopped = await stopJob(bedrock, job.jobArn);
  logger.warn('Batch job stopped: past the run limit', { limitHours, stopped });
  throw new JobTimeoutError(
    `Bedrock job ${job.jobName} was still ${job.status} ${limitHours} hours after submission and was stopped`,
  );
}
