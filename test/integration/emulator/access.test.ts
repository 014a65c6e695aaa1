import { CreateModelInvocationJobCommand } from '@aws-sdk/client-bedrock';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AccessPolicy } from '../../../local/bedrock/index';
import { TERMINAL_STATUSES } from '../../../local/bedrock/patterns';
import { createRequest, type Harness, putRecords, ROLE_ARN, startHarness, waitForJob } from './harness';

/** The shape of the synthesized role's S3 statements: read the work prefix, write the output prefix. */
const policy: AccessPolicy = {
  bedrockRoleArn: ROLE_ARN,
  statements: [
    { Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::emulator-input/jobs/*' },
    {
      Effect: 'Allow',
      Action: 's3:ListBucket',
      Resource: 'arn:aws:s3:::emulator-input',
      Condition: { StringLike: { 's3:prefix': ['jobs/*'] } },
    },
    { Effect: 'Allow', Action: ['s3:PutObject'], Resource: 'arn:aws:s3:::emulator-output/out/*' },
    { Effect: 'Deny', Action: 's3:*', Resource: 'arn:aws:s3:::emulator-input/jobs/secret/*' },
  ],
};

describe('the role check against the synthesized policy', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ accessPolicy: policy });
    await putRecords(h.s3, 'jobs/ok/records.jsonl', 100);
    await putRecords(h.s3, 'elsewhere/records.jsonl', 100);
    await putRecords(h.s3, 'jobs/secret/records.jsonl', 100);
  });
  afterAll(async () => h.close());

  async function finalJob(inputKey: string, overrides = {}) {
    const { jobArn } = await h.bedrock.send(
      new CreateModelInvocationJobCommand(createRequest(inputKey, overrides)),
    );
    return waitForJob(h.emulator, jobArn!, (job) => TERMINAL_STATUSES.has(job.status));
  }

  it('refuses another role at create time with AccessDeniedException (missing iam:PassRole)', async () => {
    const other = createRequest('jobs/ok/', { roleArn: 'arn:aws:iam::123456789012:role/SomeOtherRole' });
    await expect(h.bedrock.send(new CreateModelInvocationJobCommand(other))).rejects.toMatchObject({
      name: 'AccessDeniedException',
      $metadata: { httpStatusCode: 403 },
      message: expect.stringContaining('iam:PassRole'),
    });
  });

  it('completes a job the role can read and write', async () => {
    expect((await finalJob('jobs/ok/')).status).toBe('Completed');
    expect((await finalJob('jobs/ok/records.jsonl')).status).toBe('Completed');
  });

  it('fails a job whose input the role cannot read', async () => {
    const job = await finalJob('elsewhere/records.jsonl');
    expect(job.status).toBe('Failed');
    expect(job.message).toContain(
      'could not validate GetObject permissions on s3://emulator-input/elsewhere/records.jsonl',
    );
  });

  it('fails a job whose input prefix the role cannot list', async () => {
    const job = await finalJob('elsewhere/');
    expect(job.message).toContain('could not validate ListBucket permissions');
  });

  it('lets an explicit Deny win over an Allow', async () => {
    const job = await finalJob('jobs/secret/records.jsonl');
    expect(job.message).toContain('GetObject');
  });

  it('fails a job whose output location the role cannot write', async () => {
    const job = await finalJob('jobs/ok/', {
      outputDataConfig: { s3OutputDataConfig: { s3Uri: 's3://emulator-output/other/' } },
    });
    expect(job.status).toBe('Failed');
    expect(job.message).toContain('could not validate PutObject permissions on s3://emulator-output/other/');
  });
});
