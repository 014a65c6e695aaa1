import { describe, expect, it } from 'vitest';
import type { LocalExecution } from '../../../local/runner/sfn-endpoint';
import {
  matchesPattern,
  STATUS_CHANGE,
  statusChangeEvent,
  statusChangeTargets,
} from '../../../local/runner/status-rules';
import type { CfnTemplate, LocalValues } from '../../../local/runner/template';

const MACHINE_ARN = 'arn:aws:states:us-east-1:000000000000:stateMachine:bedrock-batch-pipeline';
const local: LocalValues = { region: 'us-east-1', stateMachineArn: MACHINE_ARN, buckets: {} };

const statusRule = (statuses: string[], target: unknown, state = 'ENABLED') => ({
  Type: 'AWS::Events::Rule',
  Properties: {
    State: state,
    EventPattern: {
      source: ['aws.states'],
      'detail-type': [STATUS_CHANGE],
      detail: { stateMachineArn: [{ Ref: 'Machine' }], status: statuses },
    },
    Targets: [{ Arn: target, Id: 'Target0', RetryPolicy: { MaximumRetryAttempts: 8 } }],
  },
});

const template: CfnTemplate = {
  Resources: {
    Machine: { Type: 'AWS::StepFunctions::StateMachine' },
    StopFn: { Type: 'AWS::Lambda::Function' },
    Topic: { Type: 'AWS::SNS::Topic' },
    StopRule: statusRule(['ABORTED', 'TIMED_OUT', 'FAILED'], { 'Fn::GetAtt': ['StopFn', 'Arn'] }),
    TopicRule: statusRule(['ABORTED'], { Ref: 'Topic' }),
    Disabled: statusRule(['ABORTED'], { 'Fn::GetAtt': ['StopFn', 'Arn'] }, 'DISABLED'),
    S3Rule: {
      Type: 'AWS::Events::Rule',
      Properties: {
        EventPattern: { source: ['aws.s3'], 'detail-type': ['Object Created'] },
        Targets: [{ Arn: { 'Fn::GetAtt': ['StopFn', 'Arn'] }, Id: 'Target0' }],
      },
    },
  },
};

const execution = (status: LocalExecution['status']): LocalExecution => ({
  name: 'run-abc123def456',
  arn: `${MACHINE_ARN.replace(':stateMachine:', ':execution:')}:run-abc123def456`,
  input: '{"runId":"run-abc123def456"}',
  startDate: new Date('2026-11-25T10:00:00.000Z'),
  stopDate: new Date('2026-11-25T10:05:00.000Z'),
  status,
  error: 'States.Aborted',
  done: Promise.resolve(),
  abort: () => undefined,
});

describe('EventBridge rules on execution status changes, played locally', () => {
  it('finds the enabled status-change rules that target a function of the stack', () => {
    const targets = statusChangeTargets(template, local, { 'stop-jobs': 'StopFn' });

    expect(targets).toHaveLength(1);
    expect(targets[0]).toMatchObject({ ruleId: 'StopRule', handler: 'stop-jobs', logicalId: 'StopFn' });
    expect(targets[0]?.attempts).toBe(9);
    expect(targets[0]?.pattern).toMatchObject({ detail: { stateMachineArn: [MACHINE_ARN] } });
  });

  it('builds the event in the shape Step Functions sends', () => {
    const event = statusChangeEvent(execution('ABORTED'), MACHINE_ARN, 'us-east-1');

    expect(event).toMatchObject({
      'detail-type': STATUS_CHANGE,
      source: 'aws.states',
      time: '2026-11-25T10:05:00Z',
      resources: [execution('ABORTED').arn],
      detail: {
        executionArn: execution('ABORTED').arn,
        stateMachineArn: MACHINE_ARN,
        name: 'run-abc123def456',
        status: 'ABORTED',
        startDate: Date.parse('2026-11-25T10:00:00.000Z'),
        stopDate: Date.parse('2026-11-25T10:05:00.000Z'),
        input: '{"runId":"run-abc123def456"}',
        output: null,
        error: 'States.Aborted',
        cause: null,
      },
    });
  });

  it.each([
    ['ABORTED', true],
    ['TIMED_OUT', true],
    ['FAILED', true],
    ['SUCCEEDED', false],
  ] as const)('matches a %s execution: %s', (status, expected) => {
    const [target] = statusChangeTargets(template, local, { 'stop-jobs': 'StopFn' });
    const event = statusChangeEvent(execution(status), MACHINE_ARN, 'us-east-1');

    expect(matchesPattern(target!.pattern, event)).toBe(expected);
  });

  it('does not match another state machine, a nested mismatch or a content filter', () => {
    const [target] = statusChangeTargets(template, local, { 'stop-jobs': 'StopFn' });
    const other = statusChangeEvent(execution('ABORTED'), `${MACHINE_ARN}-other`, 'us-east-1');

    expect(matchesPattern(target!.pattern, other)).toBe(false);
    expect(matchesPattern({ detail: { status: ['ABORTED'] } }, { detail: 'ABORTED' })).toBe(false);
    expect(matchesPattern({ source: [{ prefix: 'aws.' }] }, { source: 'aws.states' })).toBe(false);
  });
});
