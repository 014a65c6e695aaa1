/**
 * Check job's deadline step: weighs the pipeline's deadline after each check of a first-round job and,
 * when the rest of the job would only fit in time on demand, stops the job (StopModelInvocationJob). The
 * switch is recorded on the job state; Record job result copies it into the shard's result, Plan retry
 * sends the rows the job did not process on demand, and Collect reports it in summary.json.
 */

import type { Logger } from '@aws-lambda-powertools/logger';
import type { BedrockClient } from '@aws-sdk/client-bedrock';
import type { JobState } from '../core/contract/job-types';
import type { SubmitJobInput } from '../core/contract/types';
import { applyDeadline } from '../core/deadline/switch';
import { stopJob } from './bedrock';
import { optionalEnv } from './config';

/** Calls in flight the estimate counts on: the on-demand function's `ON_DEMAND_CONCURRENCY` when set here too. */
function callsInFlight(): number | undefined {
  const value = Number(optionalEnv('ON_DEMAND_CONCURRENCY'));
  return Number.isInteger(value) && value >= 1 && value <= 64 ? value : undefined;
}

/** The job after the deadline step: unchanged without a deadline, a shorter wait, or switched (and stopped). */
export async function weighDeadline(
  bedrock: BedrockClient,
  logger: Logger,
  input: SubmitJobInput & { readonly job: JobState },
  job: JobState,
  now: Date,
): Promise<JobState> {
  const step = applyDeadline(input, job, now, callsInFlight());
  if (step.decision?.action === 'too-late') {
    logger.warn(
      'Deadline: even on demand the rest of this job would end after the deadline; the batch job goes on',
      {
        remaining: step.decision.remaining,
        onDemandSeconds: step.decision.onDemandSeconds,
      },
    );
  }
  if (!step.stop) return step.job;
  if (!(await stopJob(bedrock, job.jobArn))) {
    // Bedrock says the job can no longer be stopped: it ended meanwhile, and the next check sees how.
    logger.info('Deadline: the batch job ended before it could be stopped; no switch');
    return job;
  }
  logger.warn('Deadline: batch job stopped, the rows it did not process go on demand', {
    deadlineSwitch: step.job.deadlineSwitch,
  });
  return step.job;
}
