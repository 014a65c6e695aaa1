import type { Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { synthStack } from '../helpers/synth';
import type { Untyped } from './resolve';

describe('Stop jobs is never silently dropped', () => {
  let template: Template;
  let resources: Record<string, Untyped>;
  let queueId: string;
  let functionId: string;
  beforeAll(() => {
    template = synthStack().template;
    resources = template.toJSON().Resources;
    const ids = (type: string, part: string) =>
      Object.keys(resources).filter((id) => resources[id].Type === type && id.includes(part));
    [queueId] = ids('AWS::SQS::Queue', 'StopJobsFailures');
    [functionId] = ids('AWS::Lambda::Function', 'StopJobs');
  });

  it('sends an event that failed every attempt to the StopJobsFailures queue (on-failure destination)', () => {
    expect(queueId).toBeDefined();
    const configs = Object.values(template.findResources('AWS::Lambda::EventInvokeConfig'));
    expect(configs).toHaveLength(1);
    const config = configs[0]!.Properties;
    expect(config.FunctionName).toEqual({ Ref: functionId });
    expect(config.MaximumRetryAttempts).toBe(2);
    expect(config.MaximumEventAgeInSeconds).toBe(6 * 3600);
    expect(config.DestinationConfig.OnFailure.Destination).toEqual({ 'Fn::GetAtt': [queueId, 'Arn'] });
  });

  it('lets Stop jobs send to that queue, and EventBridge use it as the rule target dead-letter queue', () => {
    const rule = Object.values(template.findResources('AWS::Events::Rule')).find((r) =>
      JSON.stringify(r.Properties.EventPattern).includes('FAILED'),
    )!;
    expect(rule.Properties.Targets[0].Arn).toEqual({ 'Fn::GetAtt': [functionId, 'Arn'] });
    expect(rule.Properties.Targets[0].DeadLetterConfig).toEqual({ Arn: { 'Fn::GetAtt': [queueId, 'Arn'] } });
    const role = resources[functionId].Properties.Role['Fn::GetAtt'][0];
    const sends = Object.values(resources)
      .filter((r) => r.Type === 'AWS::IAM::Policy' && JSON.stringify(r.Properties.Roles).includes(role))
      .flatMap((r) => r.Properties.PolicyDocument.Statement)
      .filter((s) => [s.Action].flat().includes('sqs:SendMessage'));
    expect(sends.map((s) => s.Resource)).toEqual([{ 'Fn::GetAtt': [queueId, 'Arn'] }]);
    const queuePolicy = Object.values(template.findResources('AWS::SQS::QueuePolicy')).find((p) =>
      JSON.stringify(p.Properties.Queues).includes(queueId),
    )!;
    expect(JSON.stringify(queuePolicy.Properties.PolicyDocument)).toContain('events.amazonaws.com');
  });

  it('keeps failed events 14 days, encrypted, SSL only', () => {
    const queue = resources[queueId].Properties;
    expect(queue.MessageRetentionPeriod).toBe(14 * 24 * 3600);
    expect(queue.SqsManagedSseEnabled).toBe(true);
  });

  it('alarms on any message in the queue, to the topic', () => {
    const topicId = Object.keys(resources).find(
      (id) => resources[id].Type === 'AWS::SNS::Topic' && id.includes('Notifications'),
    )!;
    const alarms = Object.values(template.findResources('AWS::CloudWatch::Alarm')).filter((a) =>
      JSON.stringify(a.Properties.Dimensions ?? []).includes(queueId),
    );
    expect(alarms).toHaveLength(1);
    expect(alarms[0]!.Properties).toMatchObject({
      MetricName: 'ApproximateNumberOfMessagesVisible',
      Namespace: 'AWS/SQS',
      Threshold: 0,
      ComparisonOperator: 'GreaterThanThreshold',
      AlarmActions: [{ Ref: topicId }],
    });
    expect(alarms[0]!.Properties.AlarmDescription).toContain('Replaying Stop jobs');
  });

  it('names the queue and the function in the stack outputs, for the replay', () => {
    const outputs = template.toJSON().Outputs as Record<string, { Value: unknown }>;
    expect(outputs.StopJobsFailuresQueueUrl?.Value).toEqual({ Ref: queueId });
    expect(outputs.StopJobsFunctionName?.Value).toEqual({ Ref: functionId });
  });
});
