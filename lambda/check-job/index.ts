/**
 * Check job: asks Bedrock for the job's status and progress, decides what the state machine does
 * next (`running`, `resubmit`, `done`, or a typed failure) and how long to wait before asking again.
 * A job still running past the run's limit is stopped, then the run fails with `TIMEOUT`
 * (lambda/io/run-limit.ts). With a pipeline deadline, a job that would end too late is stopped and its
 * rest goes on demand (lambda/io/job-deadline.ts).
 */

import type { JobState } from '../core/contract/job-types';
import type { SubmitJobInput, Timed } from '../core/contract/types';
import { nextJobState } from '../core/job/job-status';
import { bedrockClient } from '../io/clients';
import { weighDeadline } from '../io/job-deadline';
import { observeJob } from '../io/job-observation';
import { enforceRunLimit } from '../io/run-limit';
import { bindRun, createLogger, createMetrics, publishJobRunningHours } from '../io/telemetry';

const logger = createLogger('check-job');
const metrics = createMetrics();

/** The Map iteration's state when Check job runs: the item plus the job Submit job created. */
export type CheckJobInput = SubmitJobInput & { readonly job: JobState };

/** Step Functions task handler: returns the job's updated state. */
export async function handler(event: Timed<CheckJobInput>): Promise<JobState> {
  const { input } = event;
  const bedrock = bedrockClient(3);
  bindRun(logger, { runId: input.runId, pipeline: input.pipeline });
  logger.appendKeys({ shard: input.shard, jobArn: input.job.jobArn });
  try {
    const now = new Date(event.now);
    const observed = await observeJob(bedrock, logger, input.job);
    const job = await weighDeadline(bedrock, logger, input, nextJobState(input.job, observed, now), now);
    const { status, outcome, checks, waitSeconds, counters } = job;
    logger.info('Batch job checked', { status, outcome, checks, waitSeconds, counters });
    if (outcome === 'running') {
      publishJobRunningHours(metrics, { runId: input.runId, pipeline: input.pipeline }, job.submittedAt, now);
    }
    await enforceRunLimit(bedrock, logger, job, input.timeoutHours, now);
    return job;
  } catch (error) {
    logger.warn('Batch job check ended the shard', { error: (error as Error)?.name });
    throw error;
  } finally {
    logger.resetKeys();
  }
}
