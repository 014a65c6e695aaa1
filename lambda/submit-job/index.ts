/**
 * Submit job: creates the Bedrock batch job for one shard (or resubmits an Expired one) with a name
 * and idempotency token derived from the run, so a retried call returns the job already created.
 */

import type { CreateModelInvocationJobCommandInput } from '@aws-sdk/client-bedrock';
import { batchOutputPrefix, s3Uri } from '../core/contract/layout';
import { clientRequestTokenFor, jobNameFor } from '../core/contract/run-id';
import type { JobState, SubmitJobInput, Timed } from '../core/contract/types';
import { FIRST_WAIT_SECONDS, submissionAttempt } from '../core/job/job-status';
import { batchJobInputKey } from '../core/job/shard-input';
import { createJob } from '../io/bedrock';
import { bedrockClient } from '../io/clients';
import { optionalEnv, requireEnv } from '../io/config';
import { bindRun, createLogger } from '../io/telemetry';

const logger = createLogger('submit-job');

function jobRequest(input: SubmitJobInput, attempt: number): CreateModelInvocationJobCommandInput {
  const workBucket = requireEnv('WORK_BUCKET');
  const kmsKeyId = optionalEnv('OUTPUT_KMS_KEY_ID');
  return {
    jobName: jobNameFor(input.runId, input.shard, attempt, input.round),
    clientRequestToken: clientRequestTokenFor(input.runId, input.shard, attempt, input.round),
    roleArn: requireEnv('BEDROCK_ROLE_ARN'),
    modelId: input.modelId,
    modelInvocationType: input.invocationType,
    inputDataConfig: {
      s3InputDataConfig: { s3Uri: s3Uri(workBucket, batchJobInputKey(input)), s3InputFormat: 'JSONL' },
    },
    outputDataConfig: {
      s3OutputDataConfig: {
        s3Uri: s3Uri(workBucket, batchOutputPrefix(input.runId)),
        ...(kmsKeyId ? { s3EncryptionKeyId: kmsKeyId } : {}),
      },
    },
    timeoutDurationInHours: input.timeoutHours,
    tags: [
      { key: 'bedrock-batch:run-id', value: input.runId },
      { key: 'bedrock-batch:pipeline', value: input.pipeline },
      { key: 'bedrock-batch:shard', value: String(input.shard) },
    ],
  };
}

/** Step Functions task handler: returns the new job's state, polled first after one minute. */
export async function handler({ input, now }: Timed<SubmitJobInput>): Promise<JobState> {
  const attempt = submissionAttempt(input);
  const request = jobRequest(input, attempt);
  bindRun(logger, { runId: input.runId, pipeline: input.pipeline });
  logger.appendKeys({ shard: input.shard, attempt });
  try {
    const jobArn = await createJob(bedrockClient(3), request);
    logger.info('Batch job submitted', { jobArn, jobName: request.jobName });
    return {
      jobArn,
      jobName: request.jobName as string,
      attempt,
      submittedAt: new Date(now).toISOString(),
      status: 'Submitted',
      outcome: 'running',
      waitSeconds: FIRST_WAIT_SECONDS,
      checks: 0,
      unknownChecks: 0,
      counters: { totalRecordCount: 0, processedRecordCount: 0, successRecordCount: 0, errorRecordCount: 0 },
    };
  } catch (error) {
    logger.warn('Batch job not submitted', { jobName: request.jobName, error: (error as Error)?.name });
    throw error;
  } finally {
    logger.resetKeys();
  }
}
