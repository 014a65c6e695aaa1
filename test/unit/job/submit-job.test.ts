import {
  AccessDeniedException,
  BedrockClient,
  CreateModelInvocationJobCommand,
  ResourceNotFoundException,
  ServiceQuotaExceededException,
  ThrottlingException,
  ValidationException,
} from '@aws-sdk/client-bedrock';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { JobCapacityError, JobRejectedError } from '../../../lambda/core/contract/errors';
import type { SubmitJobInput } from '../../../lambda/core/contract/types';
import { jobState, submitJobInput } from '../../helpers/events';

vi.hoisted(() => {
  process.env.POWERTOOLS_LOG_LEVEL = 'SILENT';
});

const { handler: submitJob } = await import('../../../lambda/submit-job/index');

/** The state entered time the state machine passes; the job's `submittedAt` must be exactly it. */
const ENTERED = '2026-11-25T12:00:00.000Z';
const handler = (input: SubmitJobInput) => submitJob({ input, now: ENTERED });

const JOB_ARN = 'arn:aws:bedrock:us-east-1:111122223333:model-invocation-job/k3x9q2m7w1ab';
const bedrock = mockClient(BedrockClient);
const meta = { $metadata: {} };

function createInputs() {
  return bedrock.commandCalls(CreateModelInvocationJobCommand).map((call) => call.args[0].input);
}

beforeEach(() => {
  bedrock.reset();
  bedrock.on(CreateModelInvocationJobCommand).resolves({ jobArn: JOB_ARN });
  vi.stubEnv('AWS_REGION', 'us-east-1');
  vi.stubEnv('WORK_BUCKET', 'work-bucket');
  vi.stubEnv('BEDROCK_ROLE_ARN', 'arn:aws:iam::111122223333:role/BedrockBatch');
  vi.stubEnv('OUTPUT_KMS_KEY_ID', '');
});

afterAll(() => {
  vi.unstubAllEnvs();
  bedrock.restore();
});

describe('Submit job', () => {
  it('creates the job from the shard and returns its first state', async () => {
    const job = await handler(submitJobInput());
    expect(createInputs()).toEqual([
      {
        jobName: 'Q3-report-0123456789ab-s1-a1',
        clientRequestToken: 'Q3-report-0123456789ab-s1-a1',
        roleArn: 'arn:aws:iam::111122223333:role/BedrockBatch',
        modelId: 'us.anthropic.claude-3-5-haiku-20241022-v1:0',
        modelInvocationType: 'InvokeModel',
        inputDataConfig: {
          s3InputDataConfig: {
            s3Uri: 's3://work-bucket/runs/Q3-report-0123456789ab/batch-input/shard-0001.jsonl',
            s3InputFormat: 'JSONL',
          },
        },
        outputDataConfig: {
          s3OutputDataConfig: { s3Uri: 's3://work-bucket/runs/Q3-report-0123456789ab/batch-output/' },
        },
        timeoutDurationInHours: 72,
        tags: [
          { key: 'bedrock-batch:run-id', value: 'Q3-report-0123456789ab' },
          { key: 'bedrock-batch:pipeline', value: 'qa-auditor' },
          { key: 'bedrock-batch:shard', value: '1' },
        ],
      },
    ]);
    expect(job).toMatchObject({
      jobArn: JOB_ARN,
      jobName: 'Q3-report-0123456789ab-s1-a1',
      attempt: 1,
      status: 'Submitted',
      outcome: 'running',
      waitSeconds: 60,
      checks: 0,
      unknownChecks: 0,
      counters: { totalRecordCount: 0, processedRecordCount: 0, successRecordCount: 0, errorRecordCount: 0 },
    });
    expect(job.submittedAt).toBe(ENTERED);
  });

  it('sends the identical request, same token, when the call is retried (rows 26, 27)', async () => {
    await handler(submitJobInput());
    await handler(submitJobInput());
    const [first, second] = createInputs();
    expect(second).toEqual(first);
  });

  it('encrypts the output with the configured key', async () => {
    vi.stubEnv('OUTPUT_KMS_KEY_ID', 'alias/batch');
    await handler(submitJobInput());
    expect(createInputs()[0]?.outputDataConfig?.s3OutputDataConfig?.s3EncryptionKeyId).toBe('alias/batch');
  });

  it('resubmits an Expired job as attempt 2 with a new name and token', async () => {
    const job = await handler(
      submitJobInput({ job: jobState({ outcome: 'resubmit', attempt: 1, status: 'Expired' }) }),
    );
    expect(job.attempt).toBe(2);
    expect(createInputs()[0]).toMatchObject({
      jobName: 'Q3-report-0123456789ab-s1-a2',
      clientRequestToken: 'Q3-report-0123456789ab-s1-a2',
    });
  });

  it.each([
    ['throttling', new ThrottlingException({ message: 'Too many requests', ...meta })],
    [
      'a full concurrent-jobs quota',
      new ServiceQuotaExceededException({ message: 'Quota exceeded', ...meta }),
    ],
  ])('throws JobCapacityError on %s (retried by the state machine)', async (_, error) => {
    bedrock.on(CreateModelInvocationJobCommand).rejects(error);
    await expect(handler(submitJobInput())).rejects.toBeInstanceOf(JobCapacityError);
  });

  it.each([
    [
      'ValidationException',
      new ValidationException({ message: "Value 'job_1' at 'jobName' failed", ...meta }),
    ],
    [
      'AccessDeniedException',
      new AccessDeniedException({ message: 'not authorized to iam:PassRole', ...meta }),
    ],
    ['ResourceNotFoundException', new ResourceNotFoundException({ message: 'model not found', ...meta })],
  ])("throws JobRejectedError with Bedrock's message on %s (row 29)", async (name, error) => {
    bedrock.on(CreateModelInvocationJobCommand).rejects(error);
    const thrown = await handler(submitJobInput()).catch((e: unknown) => e);
    expect(thrown).toBeInstanceOf(JobRejectedError);
    expect((thrown as Error).name).toBe('JobRejectedError');
    expect((thrown as Error).message).toContain(name);
    expect((thrown as Error).message).toContain(error.message);
  });

  it('rethrows anything else', async () => {
    bedrock.on(CreateModelInvocationJobCommand).rejects(new Error('socket hang up'));
    await expect(handler(submitJobInput())).rejects.toThrow('socket hang up');
  });
});
