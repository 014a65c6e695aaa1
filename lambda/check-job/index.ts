/**
 * Check job: asks Bedrock for the job's status and progress, decides what the state machine does
 * next (`running`, `resubmit`, `done`, or a typed failure) and how long to wait before asking again.
 * A job still running past the run's limit is stopped, then the run fails with `TIMEOUT`. With a
 * pipeline deadline, a job that would end too late is stopped and its rest goes on demand (./deadline.ts).
 */

import type { BedrockClient } from '@aws-sdk/client-bedrock';
import { JobTimeoutError } from '../core/contract/errors';
import type { JobState, SubmitJobInput, Timed } from '../core/contract/types';
import { isPastDeadline, type JobObservation, maxRunHours, nextJobState } from '../core/job/job-status';
import { getJob, isTransientError, stopJob } from '../io/bedrock';
import { bedrockClient } from '../io/clients';
import { optionalEnv } from '../io/config';
import { bindRun, createLogger, createMetrics, publishJobRunningHours } from '../io/telemetry';
import { weighDeadline } from './deadline';

const logger = createLogger('check-job');
const metrics = createMetrics();

/** The Map iteration's state when Check job runs: the item plus the job Submit job created. */
export type CheckJobInput = SubmitJobInput & { readonly job: JobState };

async function observe(bedrock: BedrockClient, job: JobState): Promise<JobObservation> {
  try {
    return await getJob(bedrock, job.jobArn);
  } catch (error) {
    if (!isTransientError(error)) throw error;
    logger.warn('Batch job status not readable this time', { error: (error as Error)?.name });
    return { counters: job.counters };
  }
}

/** Step Functions task handler: returns the job's updated state. */
export async function handler(event: Timed<CheckJobInput>): Promise<JobState> {
  const input = event.input;
  const bedrock = bedrockClient(3);
  bindRun(logger, { runId: input.runId, pipeline: input.pipeline });
  logger.appendKeys({ shard: input.shard, jobArn: input.job.jobArn });
  try {
    const now = new Date(event.now);
    const observed = await observe(bedrock, input.job);
    const job = await weighDeadline(bedrock, logger, input, nextJobState(input.job, observed, now), now);
    logger.info('Batch job checked', {
      status: job.status,
      outcome: job.outcome,
      checks: job.checks,
      waitSeconds: job.waitSeconds,
      counters: job.counters,
    });
    if (job.outcome === 'running') {
      publishJobRunningHours(metrics, { runId: input.runId, pipeline: input.pipeline }, job.submittedAt, now);
    }
    const limitHours = maxRunHours(optionalEnv('MAX_RUN_HOURS'), input.timeoutHours);
    if (job.outcome === 'running' && isPastDeadline(job, now, limitHours)) {
      const stopped = await stopJob(bedrock, job.jobArn);
      logger.warn('Batch job stopped: past the run limit', { limitHours, stopped });
      throw new JobTimeoutError(
        `Bedrock job ${job.jobName} was still ${job.status} ${limitHours} hours after submission and was stopped`,
      );
    }
    return job;
  } catch (error) {
    logger.warn('Batch job check ended the shard', { error: (error as Error)?.name });
    throw error;
  } finally {
    logger.resetKeys();
  }
}
