import { type Stack, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { AwsSolutionsChecks, HIPAASecurityChecks } from 'cdk-nag';
import { describe, expect, it } from 'vitest';
import { BedrockBatchPipelineStack } from '../../lib/stack';
import { fastApp, synthStack, TEST_ENV } from '../helpers/synth';

function findings(stack: Stack) {
  return [new AwsSolutionsChecks(stack), new HIPAASecurityChecks(stack)].flatMap((pack) =>
    pack
      .validateScope(stack)
      .violations.map((v) => `${v.ruleName} ${v.violatingResources.map((r) => r.constructPath)}`),
  );
}

describe('cdk-nag', () => {
  it('finds nothing unacknowledged with AwsSolutions and HIPAA Security', () => {
    const { stack } = synthStack();
    expect(findings(stack)).toEqual([]);
  });

  it('finds nothing unacknowledged with a customer-managed key and an e-mail subscription', () => {
    const { stack } = synthStack({
      encryptionKeyArn: 'arn:aws:kms:us-east-1:123456789012:key/11111111-2222-3333-4444-555555555555',
      pipeline: { notificationEmail: 'ops@example.com' },
    });
    expect(findings(stack)).toEqual([]);
  });

  it('still reports a wildcard nobody acknowledged', () => {
    const { stack } = synthStack();
    stack.pipeline.functions['check-job'].addToRolePolicy(
      new iam.PolicyStatement({ actions: ['bedrock:*'], resources: ['*'] }),
    );
    expect(findings(stack).join('\n')).toContain('AwsSolutions-IAM5[Action::bedrock:*]');
  });

  it('fails app synthesis on an unacknowledged finding, as `cdk synth` does', () => {
    const app = fastApp();
    const stack = new BedrockBatchPipelineStack(app, 'Gate', { env: TEST_ENV });
    stack.pipeline.functions['check-job'].addToRolePolicy(
      new iam.PolicyStatement({ actions: ['s3:*'], resources: ['*'] }),
    );
    Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
    expect(() => app.synth()).toThrow(/AwsSolutions-IAM5\[Action::s3:\*\]/);
  });

  it('passes app synthesis of the default stack with the AwsSolutions plugin', () => {
    const app = fastApp();
    new BedrockBatchPipelineStack(app, 'Gate', { env: TEST_ENV });
    Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
    expect(() => app.synth()).not.toThrow();
  });
});
