/**
 * The CreateModelInvocationJob request for one shard: a name and idempotency token derived from the
 * run (so a retried call returns the job already created), the shard's input, the run's output prefix
 * (encrypted with `OUTPUT_KMS_KEY_ID` when set), the Bedrock service role and the run's tags.
 */
import type { CreateModelInvocationJobCommandInput } from '@aws-sdk/client-bedrock';
import { batchOutputPrefix, s3Uri } from '../core/contract/layout';
import { clientRequestTokenFor, jobNameFor } from '../core/contract/run-id';
import type { SubmitJobInput } from '../core/contract/types';
import { batchJobInputKey } from '../core/job/shard-input';
import { optionalEnv, requireEnv } from './config';

/** The request for `input`'s submission number `attempt`, with the buckets and role from the environment. */
export function batchJobRequest(
  input: SubmitJobInput,
  attempt: number,
): CreateModelInvocationJobCommandInput {
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
