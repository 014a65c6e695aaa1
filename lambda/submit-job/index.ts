/**
 * Submit job: creates the Bedrock batch job for one shard (or resubmits an Expired one) with a name
 * and idempotency token derived from the run, so a retried call returns the job already created.
 */

import type { JobState } from '../core/contract/job-types';
import type { SubmitJobInput, Timed } from '../core/contract/types';
import { submissionAttempt } from '../core/job/job-status';
import { submittedJob } from '../core/job/submitted-job';
import { batchJobRequest } from '../io/batch-job-request';
import { createJob } from '../io/bedrock';
import { bedrockClient } from '../io/clients';
import { bindRun, createLogger } from '../io/telemetry';

const logger = createLogger('submit-job');

/** Step Functions task handler: returns the new job's state, polled first after one minute. */
export async function handler({ input, now }: Timed<SubmitJobInput>): Promise<JobState> {
  const attempt = submissionAttempt(input);
  const request = batchJobRequest(input, attempt);
  bindRun(logger, { runId: input.runId, pipeline: input.pipeline });
  logger.appendKeys({ shard: input.shard, attempt });
  try {
    const jobArn = await createJob(bedrockClient(3), request);
    logger.info('Batch job submitted', { jobArn, jobName: request.jobName });
    return submittedJob(jobArn, request.jobName as string, attempt, now);
  } catch (error) {
    logger.warn('Batch job not submitted', { jobName: request.jobName, error: (error as Error)?.name });
    throw error;
  } finally {
    logger.resetKeys();
  }
}
