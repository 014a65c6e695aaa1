import { Match, type Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { JOB_RUNNING_HOURS, METRICS_NAMESPACE, RUN_METRICS } from '../../lambda/core/contract/metrics';
import { HANDLER_NAMES } from '../../lib/handler-names';
import { synthStack } from '../helpers/synth';
import type { Untyped } from './resolve';

/** The dashboard body with every CloudFormation reference written as `<ref:LogicalId>`. */
function dashboardBody(template: Template): Untyped {
  const [dashboard] = Object.values(template.findResources('AWS::CloudWatch::Dashboard'));
  const join = dashboard?.Properties.DashboardBody['Fn::Join'] as [string, unknown[]];
  const text = join[1]
    .map((part) => {
      if (typeof part === 'string') return part;
      const node = part as { Ref?: string; 'Fn::GetAtt'?: [string, string] };
      return `<ref:${node.Ref ?? node['Fn::GetAtt']?.[0]}>`;
    })
    .join('');
  return JSON.parse(text);
}

/** Every metric line of every graph, as `namespace/name` plus its dimension values. */
function graphedMetrics(body: Untyped): string[] {
  return body.widgets
    .filter((w: Untyped) => w.type === 'metric' && w.properties.metrics)
    .flatMap((w: Untyped) => w.properties.metrics as Untyped[])
    .map((line: Untyped[]) => {
      const plain = line.filter((item) => typeof item === 'string');
      return plain.join(' ');
    });
}

function logicalId(template: Template, type: string, pathPart: string): string {
  const found = Object.entries(template.toJSON().Resources as Record<string, Untyped>).filter(
    ([id, r]) => r.Type === type && id.includes(pathPart),
  );
  expect(found, `${type} ${pathPart}`).toHaveLength(1);
  return found[0]![0];
}

describe('monitoring', () => {
  let template: Template;
  beforeAll(() => {
    template = synthStack().template;
  });

  it('graphs executions, execution time, queue depths, Lambda errors and throttles, and the run metrics', () => {
    const metrics = graphedMetrics(dashboardBody(template));
    for (const name of ['Started', 'Succeeded', 'Failed', 'Aborted', 'TimedOut']) {
      expect(metrics.some((m) => m.startsWith(`AWS/States Executions${name} StateMachineArn`))).toBe(true);
    }
    expect(metrics.some((m) => m.startsWith('AWS/States ExecutionTime'))).toBe(true);
    const dlq = logicalId(template, 'AWS::SQS::Queue', 'DeadLetterQueue');
    expect(metrics).toContain(`AWS/SQS ApproximateNumberOfMessagesVisible QueueName <ref:${dlq}>`);
    for (const name of HANDLER_NAMES) {
      const fn = logicalId(
        template,
        'AWS::Lambda::Function',
        name.replace(/(^|-)([a-z])/g, (_m, _d, c) => c.toUpperCase()),
      );
      expect(metrics).toContain(`AWS/Lambda Errors FunctionName <ref:${fn}>`);
      expect(metrics).toContain(`AWS/Lambda Throttles FunctionName <ref:${fn}>`);
    }
    for (const name of [...Object.values(RUN_METRICS), JOB_RUNNING_HOURS]) {
      expect(metrics).toContain(`${METRICS_NAMESPACE} ${name} service bedrock-batch-pipeline`);
    }
  });

  it('alarms on failed or timed-out executions in 5 minutes, to the topic', () => {
    const topic = logicalId(template, 'AWS::SNS::Topic', 'Notifications');
    const sm = logicalId(template, 'AWS::StepFunctions::StateMachine', 'Workflow');
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Threshold: 0,
      ComparisonOperator: 'GreaterThanThreshold',
      EvaluationPeriods: 1,
      TreatMissingData: 'notBreaching',
      AlarmActions: [{ Ref: topic }],
      Metrics: Match.arrayWith([
        Match.objectLike({ Expression: 'FILL(failed, 0) + FILL(timedOut, 0)' }),
        Match.objectLike({
          Id: 'failed',
          MetricStat: Match.objectLike({
            Period: 300,
            Stat: 'Sum',
            Metric: Match.objectLike({
              MetricName: 'ExecutionsFailed',
              Dimensions: [{ Name: 'StateMachineArn', Value: { Ref: sm } }],
            }),
          }),
        }),
        Match.objectLike({ Id: 'timedOut', MetricStat: Match.objectLike({ Period: 300 }) }),
      ]),
    });
  });

  it('alarms on any message in the dead-letter queue, to the topic', () => {
    const topic = logicalId(template, 'AWS::SNS::Topic', 'Notifications');
    const dlq = logicalId(template, 'AWS::SQS::Queue', 'DeadLetterQueue');
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'ApproximateNumberOfMessagesVisible',
      Namespace: 'AWS/SQS',
      Dimensions: [{ Name: 'QueueName', Value: { 'Fn::GetAtt': [dlq, 'QueueName'] } }],
      Statistic: 'Maximum',
      Period: 300,
      Threshold: 0,
      ComparisonOperator: 'GreaterThanThreshold',
      AlarmActions: [{ Ref: topic }],
    });
  });

  it('alarms on a job running longer than 24 hours by default, from the Check job metric', () => {
    const topic = logicalId(template, 'AWS::SNS::Topic', 'Notifications');
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: METRICS_NAMESPACE,
      MetricName: JOB_RUNNING_HOURS,
      Dimensions: [{ Name: 'service', Value: 'bedrock-batch-pipeline' }],
      Statistic: 'Maximum',
      Period: 3600,
      Threshold: 24,
      ComparisonOperator: 'GreaterThanThreshold',
      TreatMissingData: 'notBreaching',
      AlarmActions: [{ Ref: topic }],
    });
    template.resourceCountIs('AWS::CloudWatch::Alarm', 4);
  });

  it('announces executions that were stopped or timed out on the topic', () => {
    const topic = logicalId(template, 'AWS::SNS::Topic', 'Notifications');
    template.hasResourceProperties('AWS::Events::Rule', {
      EventPattern: Match.objectLike({
        source: ['aws.states'],
        detail: Match.objectLike({ status: ['ABORTED', 'TIMED_OUT'] }),
      }),
      Targets: [Match.objectLike({ Arn: { Ref: topic }, InputTransformer: Match.anyValue() })],
    });
  });

  it('encrypts the topic with a key that alarms, EventBridge and the state machine can use', () => {
    const key = logicalId(template, 'AWS::KMS::Key', 'Notifications');
    template.hasResourceProperties('AWS::SNS::Topic', { KmsMasterKeyId: Match.objectLike({}) });
    template.hasResourceProperties('AWS::KMS::Key', {
      EnableKeyRotation: true,
      KeyPolicy: Match.objectLike({
        Statement: Match.arrayWith([
          Match.objectLike({
            Principal: { Service: ['cloudwatch.amazonaws.com', 'events.amazonaws.com'] },
            Action: ['kms:Decrypt', 'kms:GenerateDataKey'],
          }),
        ]),
      }),
    });
    template.hasResourceProperties('AWS::SNS::TopicPolicy', {
      PolicyDocument: Match.objectLike({
        Statement: Match.arrayWith([
          Match.objectLike({ Principal: { Service: 'cloudwatch.amazonaws.com' }, Action: 'sns:Publish' }),
        ]),
      }),
    });
    const smRole = logicalId(template, 'AWS::IAM::Role', 'WorkflowStateMachineRole');
    template.hasResourceProperties('AWS::IAM::Policy', {
      Roles: [{ Ref: smRole }],
      PolicyDocument: Match.objectLike({
        Statement: Match.arrayWith([
          Match.objectLike({
            Action: ['kms:Decrypt', 'kms:GenerateDataKey'],
            Resource: { 'Fn::GetAtt': [key, 'Arn'] },
          }),
        ]),
      }),
    });
  });

  it('has no e-mail subscription unless an address is given', () => {
    template.resourceCountIs('AWS::SNS::Subscription', 0);
  });
});

describe('monitoring options', () => {
  it('subscribes the notification e-mail and uses the configured job-hours threshold', () => {
    const { template } = synthStack({
      pipeline: { notificationEmail: 'ops@example.com', alarmJobHours: 36 },
    });
    template.hasResourceProperties('AWS::SNS::Subscription', {
      Protocol: 'email',
      Endpoint: 'ops@example.com',
    });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: JOB_RUNNING_HOURS,
      Threshold: 36,
    });
  });

  it('encrypts the topic with the customer-managed key when one is given, creating no key of its own', () => {
    const keyArn = 'arn:aws:kms:us-east-1:123456789012:key/11111111-2222-3333-4444-555555555555';
    const { template } = synthStack({ encryptionKeyArn: keyArn });
    template.hasResourceProperties('AWS::SNS::Topic', { KmsMasterKeyId: keyArn });
    template.resourceCountIs('AWS::KMS::Key', 0);
  });

  it('rejects a job-hours threshold that is not positive', () => {
    expect(() => synthStack({ pipeline: { alarmJobHours: 0 } })).toThrow(/alarmJobHours/);
  });
});
