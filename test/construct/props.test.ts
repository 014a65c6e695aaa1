import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { Duration, Stack } from 'aws-cdk-lib';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { describe, expect, it } from 'vitest';
import { modelArns } from '../../lib/model-arns';
import { fastApp, synthStack, TEST_ENV } from '../helpers/synth';

function pipelinesDir(files: Record<string, string>): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'pipelines-'));
  for (const [name, text] of Object.entries(files)) writeFileSync(path.join(dir, name), text);
  return dir;
}

describe('props validated at synth', () => {
  it('rejects a job timeout outside 24..168 hours, naming the field and value', () => {
    expect(() => synthStack({ pipeline: { jobTimeoutHours: 12 } })).toThrow(
      'jobTimeoutHours must be a whole number from 24 to 168, got 12',
    );
    expect(() => synthStack({ pipeline: { jobTimeoutHours: 169 } })).toThrow('got 169');
  });

  it('rejects an execution timeout that a job could outlive', () => {
    expect(() => synthStack({ pipeline: { executionTimeout: Duration.hours(90) } })).toThrow(
      'executionTimeout must be above the longest a job may run (96 hours), got 90 hours',
    );
  });

  it('rejects a job run limit that is not positive', () => {
    expect(() => synthStack({ pipeline: { maxRunHours: 0 } })).toThrow(
      'maxRunHours must be a positive number of hours, got 0',
    );
  });

  it('rejects a concurrent-job limit below 1', () => {
    expect(() => synthStack({ pipeline: { maxConcurrentJobs: 0 } })).toThrow(
      'maxConcurrentJobs must be a whole number >= 1, got 0',
    );
  });

  it('fails on a broken pipeline file', () => {
    const dir = pipelinesDir({ 'broken.json': '{"modelId": ' });
    expect(() => synthStack({ pipeline: { pipelinesDir: dir } })).toThrow(/Invalid pipeline in .*broken/);
  });

  it('fails on an empty pipelines folder', () => {
    expect(() => synthStack({ pipeline: { pipelinesDir: pipelinesDir({}) } })).toThrow(
      'No pipeline definitions',
    );
  });

  it('fails when a pipeline asks for a longer job than the stack allows', () => {
    const dir = pipelinesDir({
      'long.json': JSON.stringify({
        modelId: 'amazon.nova-lite-v1:0',
        promptTemplate: 'Say {{text}}',
        timeoutHours: 100,
      }),
    });
    expect(() => synthStack({ pipeline: { pipelinesDir: dir, jobTimeoutHours: 48 } })).toThrow(
      'Pipeline "long": timeoutHours 100 exceeds the stack\'s jobTimeoutHours 48',
    );
  });

  it('rejects an existing bucket together with props for it', () => {
    const app = fastApp();
    const other = new Stack(app, 'Other', { env: TEST_ENV });
    const existing = s3.Bucket.fromBucketName(other, 'Existing', 'my-results');
    expect(() =>
      synthStack({ pipeline: { existingResultsBucket: existing, resultsBucketProps: { versioned: false } } }),
    ).toThrow('results: give either existingBucket or bucketProps, not both');
  });
});

describe('optional features', () => {
  const keyArn = 'arn:aws:kms:us-east-1:123456789012:key/11111111-2222-3333-4444-555555555555';
  const { template } = synthStack({
    encryptionKeyArn: keyArn,
    pipeline: { notificationEmail: 'ops@example.com', maxRunHours: 100, maxConcurrentJobs: 3 },
  });
  const functionWith = (variable: string) =>
    Object.values(template.findResources('AWS::Lambda::Function')).find(
      (f) => f.Properties.Environment?.Variables?.[variable],
    )!;

  it('uses a customer-managed key for the data buckets and Bedrock output', () => {
    const kmsBuckets = Object.values(template.findResources('AWS::S3::Bucket')).filter(
      (b) =>
        b.Properties.BucketEncryption.ServerSideEncryptionConfiguration[0].ServerSideEncryptionByDefault
          .SSEAlgorithm === 'aws:kms',
    );
    expect(kmsBuckets).toHaveLength(3);
    expect(functionWith('BEDROCK_ROLE_ARN').Properties.Environment.Variables.OUTPUT_KMS_KEY_ID).toBe(keyArn);
  });

  it('subscribes a notification e-mail', () => {
    template.hasResourceProperties('AWS::SNS::Subscription', {
      Protocol: 'email',
      Endpoint: 'ops@example.com',
    });
  });

  it('passes an explicit job run limit to Check job and keeps the execution timeout above it', () => {
    expect(functionWith('MAX_RUN_HOURS').Properties.Environment.Variables.MAX_RUN_HOURS).toBe('100');
    const [machine] = Object.values(template.findResources('AWS::StepFunctions::StateMachine'));
    const definition = JSON.stringify(machine!.Properties.DefinitionString);
    expect(definition).toContain(`\\"TimeoutSeconds\\":${(2 * 100 + 12) * 3600}`);
  });

  it('sets the Map concurrency from maxConcurrentJobs', () => {
    const [machine] = Object.values(template.findResources('AWS::StepFunctions::StateMachine'));
    expect(JSON.stringify(machine!.Properties.DefinitionString)).toContain('\\"MaxConcurrency\\":3');
  });
});

describe('model ARNs', () => {
  const stack = new Stack(fastApp(), 'Arns', { env: TEST_ENV });
  const resolved = (ids: string[]) => modelArns(stack, ids).map((arn) => stack.resolve(arn));

  it('grants a foundation model in this Region', () => {
    expect(resolved(['amazon.nova-lite-v1:0'])).toEqual([
      {
        'Fn::Join': [
          '',
          ['arn:', { Ref: 'AWS::Partition' }, ':bedrock:us-east-1::foundation-model/amazon.nova-lite-v1:0'],
        ],
      },
    ]);
  });

  it('grants an inference profile and its model in every Region of the geography', () => {
    const arns = resolved(['eu.anthropic.claude-3-5-haiku-20241022-v1:0']).map((a) => JSON.stringify(a));
    expect(arns[0]).toContain(':bedrock:us-east-1:123456789012:inference-profile/eu.anthropic');
    expect(arns).toHaveLength(9);
    expect(
      arns.some((a) => a.includes(':bedrock:eu-west-3::foundation-model/anthropic.claude-3-5-haiku')),
    ).toBe(true);
  });

  it('grants a global profile model in every Region', () => {
    const arns = resolved(['global.anthropic.claude-sonnet-4-5-20250929-v1:0']).map((a) => JSON.stringify(a));
    expect(arns[1]).toContain(':bedrock:*::foundation-model/anthropic.claude-sonnet-4-5');
  });

  it('refuses an unknown geography rather than guessing', () => {
    expect(() => modelArns(stack, ['us.x'], {})).toThrow('set inferenceProfileRegions');
  });
});
