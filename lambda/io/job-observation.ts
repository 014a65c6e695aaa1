/**
 * One look at a batch job (GetModelInvocationJob) for Check job. A transient error (throttling, a
 * service error) is not fatal: the check sees nothing new this time and keeps the job's last counters.
 */
import type { Logger } from '@aws-lambda-powertools/logger';
import type { BedrockClient } from '@aws-sdk/client-bedrock';
import type { JobState } from '../core/contract/job-types';
import type { JobObservation } from '../core/job/job-status';
import { getJob, isTransientError } from './bedrock';

/** The job's status and progress now; its last counters alone when Bedrock could not answer this time. */
export async function observeJob(
  bedrock: BedrockClient,
  logger: Logger,
  job: JobState,
): Promise<JobObservation> {
  try {
    return await getJob(bedrock, job.jobArn);
  } catch (error) {
    if (!isTransientError(error)) throw error;
    logger.warn('Batch job status not readable this time', { error: (error as Error)?.name });
    return { counters: job.counters };
  }
}
