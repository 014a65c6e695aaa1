import { describe, expect, it } from 'vitest';
import { ApiError } from '../../../local/bedrock/api-error';
import { validateCreateRequest } from '../../../local/bedrock/validate-create';

const valid = {
  jobName: 'nightly-summaries-2025-06-01',
  roleArn: 'arn:aws:iam::123456789012:role/BedrockBatchRole',
  clientRequestToken: '6f1c0b9e-2a41-4c0e-9a7b-1f5d2c3e4a5b',
  modelId: 'us.anthropic.claude-3-5-haiku-20241022-v1:0',
  modelInvocationType: 'InvokeModel',
  inputDataConfig: { s3InputDataConfig: { s3Uri: 's3://my-batch-in/run-42/', s3InputFormat: 'JSONL' } },
  outputDataConfig: { s3OutputDataConfig: { s3Uri: 's3://my-batch-out/run-42/' } },
  timeoutDurationInHours: 72,
  tags: [{ key: 'project', value: 'summaries' }],
};

function problem(patch: Record<string, unknown>): string {
  try {
    validateCreateRequest({ ...valid, ...patch });
  } catch (error) {
    expect(error).toBeInstanceOf(ApiError);
    expect((error as ApiError).type).toBe('ValidationException');
    expect((error as ApiError).status).toBe(400);
    return (error as ApiError).message;
  }
  throw new Error('expected a ValidationException');
}

describe('validateCreateRequest', () => {
  it('accepts the documented example and keeps only known members', () => {
    const request = validateCreateRequest({ ...valid, unknownTopLevel: 1 });
    expect(request).toEqual(valid);
  });

  it.each([
    ['jobName', 'jobName', undefined, 'Member must not be null'],
    [
      'jobName with an underscore',
      'jobName',
      'job_1',
      "at 'jobName' failed to satisfy constraint: Member must satisfy regular expression pattern",
    ],
    ['jobName with a space', 'jobName', 'job 1', 'regular expression pattern'],
    ['jobName starting with a dash', 'jobName', '-job', 'regular expression pattern'],
    ['jobName of 64 characters', 'jobName', 'a'.repeat(64), 'length less than or equal to 63'],
    ['roleArn', 'roleArn', 'arn:aws:iam::123:user/x', "at 'roleArn'"],
    ['missing roleArn', 'roleArn', undefined, "Value null at 'roleArn'"],
    ['modelId', 'modelId', 'Claude 3 Haiku!', "at 'modelId'"],
    [
      'empty modelId',
      'modelId',
      '',
      "at 'modelId' failed to satisfy constraint: Member must have length greater than or equal to 1",
    ],
    ['clientRequestToken', 'clientRequestToken', 'token_with_underscore', "at 'clientRequestToken'"],
    ['timeoutDurationInHours below 24', 'timeoutDurationInHours', 12, 'greater than or equal to 24'],
    ['timeoutDurationInHours above 168', 'timeoutDurationInHours', 169, 'less than or equal to 168'],
    ['fractional timeoutDurationInHours', 'timeoutDurationInHours', 24.5, 'Member must be an integer'],
    ['modelInvocationType', 'modelInvocationType', 'Chat', 'enum value set: [InvokeModel, Converse]'],
  ])('rejects a bad %s', (_label, field, value, expected) => {
    expect(problem({ [field]: value })).toContain(expected);
  });

  it.each([
    ['a space', 's3://my-batch-in/in put/x.jsonl'],
    ['a plus sign', 's3://my-batch-in/a+b.jsonl'],
    ['a percent escape', 's3://my-batch-in/a%20b'],
    ['an equals sign', 's3://my-batch-in/a=b'],
    ['an upper-case bucket', 's3://My-Bucket/x.jsonl'],
    ['a two-letter bucket', 's3://in/x.jsonl'],
    ['another scheme', 'https://my-batch-in/x.jsonl'],
    ['trailing text after the key (anchored pattern)', 's3://my-batch-in/x.jsonl\nmore'],
  ])('rejects an input S3Uri with %s', (_label, s3Uri) => {
    expect(problem({ inputDataConfig: { s3InputDataConfig: { s3Uri } } })).toContain(
      "at 'inputDataConfig.s3InputDataConfig.s3Uri'",
    );
  });

  it('checks the output S3Uri, the KMS key id and the bucket owners', () => {
    expect(problem({ outputDataConfig: { s3OutputDataConfig: { s3Uri: 's3://b' } } })).toContain(
      "'outputDataConfig.s3OutputDataConfig.s3Uri'",
    );
    const kms = { s3OutputDataConfig: { s3Uri: 's3://my-batch-out/', s3EncryptionKeyId: 'not a key' } };
    expect(problem({ outputDataConfig: kms })).toContain('s3EncryptionKeyId');
    const owner = { s3InputDataConfig: { s3Uri: 's3://my-batch-in/', s3BucketOwner: '12345' } };
    expect(problem({ inputDataConfig: owner })).toContain('s3BucketOwner');
    const format = { s3InputDataConfig: { s3Uri: 's3://my-batch-in/', s3InputFormat: 'CSV' } };
    expect(problem({ inputDataConfig: format })).toContain('enum value set: [JSONL]');
  });

  it('requires each union to carry exactly one known member', () => {
    expect(problem({ inputDataConfig: {} })).toContain('Union must have exactly one member set');
    expect(
      problem({
        inputDataConfig: { s3InputDataConfig: { s3Uri: 's3://my-batch-in/' }, other: { s3Uri: 's3://x' } },
      }),
    ).toContain('Union must have exactly one member set');
    expect(problem({ outputDataConfig: { dynamoDb: {} } })).toContain("Unknown union member 'dynamoDb'");
    expect(problem({ outputDataConfig: undefined })).toContain("Value null at 'outputDataConfig'");
  });

  it('checks tags and the VPC configuration', () => {
    expect(problem({ tags: [{ key: '', value: 'x' }] })).toContain("'tags.1.member.key'");
    expect(problem({ tags: [{ key: 'k', value: 'a\u0000b' }] })).toContain("'tags.1.member.value'");
    expect(problem({ tags: Array.from({ length: 201 }, (_, i) => ({ key: `k${i}`, value: '' })) })).toContain(
      'between 0 and 200',
    );
    expect(problem({ vpcConfig: { subnetIds: [], securityGroupIds: ['sg-1'] } })).toContain(
      'between 1 and 16',
    );
    expect(problem({ vpcConfig: { subnetIds: ['subnet-1'] } })).toContain(
      "Value null at 'vpcConfig.securityGroupIds'",
    );
  });

  it('reports every violation at once', () => {
    expect(problem({ jobName: 'a_b', timeoutDurationInHours: 1 })).toMatch(/^2 validation errors detected: /);
  });

  it('accepts ARNs and inference profiles as model ids, and a Converse job', () => {
    for (const modelId of [
      'anthropic.claude-3-haiku-20240307-v1:0',
      'global.anthropic.claude-sonnet-4-5-20250929-v1:0',
      'amazon.titan-embed-text-v2:0',
      'arn:aws:bedrock:us-east-1::foundation-model/anthropic.claude-3-haiku-20240307-v1:0',
      'arn:aws:bedrock:us-east-1:123456789012:inference-profile/us.anthropic.claude-3-5-haiku-20241022-v1:0',
    ]) {
      expect(validateCreateRequest({ ...valid, modelId, modelInvocationType: 'Converse' }).modelId).toBe(
        modelId,
      );
    }
  });
});
