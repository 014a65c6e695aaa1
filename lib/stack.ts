/**
 * BedrockBatchPipelineStack: a deployable stack holding one {@link BedrockBatchPipeline}.
 */
import { CfnOutput, Stack, type StackProps } from 'aws-cdk-lib';
import * as kms from 'aws-cdk-lib/aws-kms';
import type { Construct } from 'constructs';
import { BedrockBatchPipeline } from './pipeline';
import type { BedrockBatchPipelineProps } from './pipeline-props';

/** Properties of {@link BedrockBatchPipelineStack}: the stack's own plus the pipeline's. */
export interface BedrockBatchPipelineStackProps extends StackProps {
  /** @default - the construct's defaults */
  readonly pipeline?: BedrockBatchPipelineProps;
  /**
   * ARN of an existing customer-managed KMS key, imported and used as `pipeline.encryptionKey`.
   * @default - SSE-S3 buckets and the AWS managed SNS key
   */
  readonly encryptionKeyArn?: string;
}

/** The stack `npx cdk deploy` creates; its outputs name the buckets, the state machine and the topic. */
export class BedrockBatchPipelineStack extends Stack {
  readonly pipeline: BedrockBatchPipeline;

  constructor(scope: Construct, id: string, props: BedrockBatchPipelineStackProps = {}) {
    super(scope, id, props);
    const encryptionKey = props.encryptionKeyArn
      ? kms.Key.fromKeyArn(this, 'EncryptionKey', props.encryptionKeyArn)
      : props.pipeline?.encryptionKey;
    this.pipeline = new BedrockBatchPipeline(this, 'Pipeline', { ...props.pipeline, encryptionKey });
    new CfnOutput(this, 'InputBucketName', {
      value: this.pipeline.storage.inputBucket.bucketName,
      description: 'Drop inbox/<pipeline>/<file>.csv here',
    });
    new CfnOutput(this, 'ResultsBucketName', {
      value: this.pipeline.storage.resultsBucket.bucketName,
      description: 'Results appear under results/<pipeline>/<runId>/',
    });
    new CfnOutput(this, 'WorkBucketName', { value: this.pipeline.storage.workBucket.bucketName });
    new CfnOutput(this, 'StateMachineArn', { value: this.pipeline.stateMachine.stateMachineArn });
    new CfnOutput(this, 'NotificationTopicArn', { value: this.pipeline.topic.topicArn });
    new CfnOutput(this, 'StopJobsFailuresQueueUrl', {
      value: this.pipeline.stopJobsFailures.queue.queueUrl,
      description: 'Stop jobs events that failed: replay them (docs/operator.md, "Replaying Stop jobs")',
    });
    new CfnOutput(this, 'StopJobsFunctionName', { value: this.pipeline.functions['stop-jobs'].functionName });
  }
}
