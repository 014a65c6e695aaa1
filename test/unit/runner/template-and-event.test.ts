import { describe, expect, it } from 'vitest';
import { decodeEventKey } from '../../../lambda/core/contract/run-id';
import { objectCreatedEvent, sqsEvent } from '../../../local/runner/event';
import {
  type CfnTemplate,
  functionEnvironments,
  localBucketNames,
  roleStatements,
} from '../../../local/runner/template';

const template: CfnTemplate = {
  Resources: {
    In: { Type: 'AWS::S3::Bucket' },
    Work: { Type: 'AWS::S3::Bucket' },
    Role: { Type: 'AWS::IAM::Role' },
    Machine: { Type: 'AWS::StepFunctions::StateMachine' },
    Fn: {
      Type: 'AWS::Lambda::Function',
      Properties: {
        Environment: {
          Variables: {
            INPUT_BUCKET: { Ref: 'In' },
            WORK_BUCKET: { Ref: 'Work' },
            BEDROCK_ROLE_ARN: { 'Fn::GetAtt': ['Role', 'Arn'] },
            STATE_MACHINE_ARN: { Ref: 'Machine' },
            MAX_RUN_HOURS: '96',
          },
        },
      },
    },
    Policy: {
      Type: 'AWS::IAM::Policy',
      Properties: {
        Roles: [{ Ref: 'Role' }],
        PolicyDocument: {
          Statement: [
            {
              Effect: 'Allow',
              Action: 's3:GetObject',
              Resource: { 'Fn::Join': ['', [{ 'Fn::GetAtt': ['Work', 'Arn'] }, '/runs/*/batch-input/*']] },
            },
          ],
        },
      },
    },
  },
};

describe('reading the template with local values', () => {
  const local = {
    region: 'us-east-1',
    stateMachineArn: 'arn:aws:states:us-east-1:000000000000:stateMachine:m',
    buckets: localBucketNames(template),
  };

  it('names the buckets after the variables that reference them', () => {
    expect(local.buckets).toEqual({ In: 'input', Work: 'work' });
  });

  it('resolves a function environment to plain local values', () => {
    expect(functionEnvironments(template, local).Fn).toEqual({
      INPUT_BUCKET: 'input',
      WORK_BUCKET: 'work',
      BEDROCK_ROLE_ARN: 'arn:aws:iam::000000000000:role/Role',
      STATE_MACHINE_ARN: local.stateMachineArn,
      MAX_RUN_HOURS: '96',
    });
  });

  it("resolves a role's statements, bucket ARNs included", () => {
    expect(roleStatements(template, local, 'Role')).toEqual([
      { Effect: 'Allow', Action: ['s3:GetObject'], Resource: ['arn:aws:s3:::work/runs/*/batch-input/*'] },
    ]);
  });
});

describe('the event S3 sends', () => {
  it('form-encodes the key so that the Start run decoding gives it back exactly', () => {
    const key = "inbox/qa/Q3 report+x (1) café's%2B~.csv";
    const event = objectCreatedEvent({ bucket: 'input', key, size: 1 }, 'us-east-1');
    const encoded = (event.detail as { object: { key: string } }).object.key;
    expect(encoded).toBe('inbox/qa/Q3+report%2Bx+%281%29+caf%C3%A9%27s%252B%7E.csv');
    expect(decodeEventKey(encoded)).toBe(key);
  });

  it('is an EventBridge Object Created event wrapped in an SQS record', () => {
    const event = objectCreatedEvent(
      { bucket: 'input', key: 'inbox/p/a b.csv', size: 3, etag: '"abc"' },
      'us-east-1',
    );
    expect(event).toMatchObject({
      'detail-type': 'Object Created',
      source: 'aws.s3',
      detail: { bucket: { name: 'input' }, object: { key: 'inbox/p/a+b.csv', size: 3, etag: 'abc' } },
    });
    const sqs = sqsEvent([event, event], 'arn:aws:sqs:us-east-1:000000000000:q', 'us-east-1');
    expect(sqs.Records).toHaveLength(2);
    expect(sqs.Records[0]?.messageId).not.toBe(sqs.Records[1]?.messageId);
    expect(JSON.parse(sqs.Records[0]?.body ?? '')).toEqual(event);
  });
});
