/**
 * The CDK app: `npx cdk deploy` (options through `-c name=value`, see the README).
 * cdk-nag's AwsSolutions pack runs on the whole app: an unacknowledged finding fails synth.
 */
import { App, RemovalPolicy, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { BedrockBatchPipelineStack } from '../lib/stack';

const app = new App();

function context(name: string): string | undefined {
  const value: unknown = app.node.tryGetContext(name);
  return value === undefined || value === null || value === '' ? undefined : String(value);
}

function numberContext(name: string): number | undefined {
  const value = context(name);
  if (value === undefined) return undefined;
  const parsed = Number(value);
  if (!Number.isFinite(parsed)) throw new Error(`Context ${name} must be a number, got "${value}"`);
  return parsed;
}

function booleanContext(name: string): boolean | undefined {
  const value = context(name);
  if (value === undefined) return undefined;
  if (value !== 'true' && value !== 'false')
    throw new Error(`Context ${name} must be true or false, got "${value}"`);
  return value === 'true';
}

function listContext(name: string): string[] | undefined {
  const value = context(name);
  return value
    ?.split(',')
    .map((item) => item.trim())
    .filter((item) => item !== '');
}

new BedrockBatchPipelineStack(app, context('stackName') ?? 'BedrockBatchPipeline', {
  description: 'Runs CSV files through Amazon Bedrock batch inference (bedrock-batch-pipeline)',
  env: { account: process.env.CDK_DEFAULT_ACCOUNT, region: process.env.CDK_DEFAULT_REGION },
  encryptionKeyArn: context('kmsKeyArn'),
  pipeline: {
    pipelinesDir: context('pipelinesDir'),
    additionalModelIds: listContext('additionalModelIds'),
    maxConcurrentJobs: numberContext('maxConcurrentJobs'),
    jobTimeoutHours: numberContext('jobTimeoutHours'),
    maxRunHours: numberContext('maxRunHours'),
    onDemandConcurrency: numberContext('onDemandConcurrency'),
    collectStorageMiB: numberContext('collectStorageMiB'),
    traceSdkCalls: booleanContext('traceSdkCalls'),
    notificationEmail: context('notificationEmail'),
    alarmJobHours: numberContext('alarmJobHours'),
    workRetentionDays: numberContext('workRetentionDays'),
    noncurrentVersionDays: numberContext('noncurrentVersionDays'),
    removalPolicy: context('removalPolicy') === 'destroy' ? RemovalPolicy.DESTROY : RemovalPolicy.RETAIN,
  },
});

Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
