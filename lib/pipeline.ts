/**
 * BedrockBatchPipeline: drop a CSV into the input bucket, get a results CSV back through Bedrock batch
 * inference. Wires storage, the Bedrock service role, the functions, the workflow, the trigger and
 * notifications.
 */
import * as path from 'node:path';
import { Duration, Stack } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import type * as sns from 'aws-cdk-lib/aws-sns';
import type * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import type { PipelineDefinition } from '../lambda/core/contract/types';
import { BedrockServiceRole } from './bedrock-service-role';
import { PipelineFunctions } from './functions';
import type { HandlerName } from './handler-names';
import { DEFAULT_INFERENCE_PROFILE_REGIONS, type ModelAccess, modelAccess } from './model-arns';
import { PipelineMonitoring } from './monitoring';
import { PipelineNotifications } from './notifications';
import { PACKAGE_ROOT } from './package-root';
import {
  collectStorage,
  JOB_TIMEOUT_HOURS,
  loadPipelines,
  longestJobHours,
  validate,
  warnOfEmulatorMinimum,
} from './pipeline-checks';
import { checkDeadlines } from './pipeline-deadlines';
import type { BedrockBatchPipelineProps } from './pipeline-props';
import { StopJobsFailures } from './stop-jobs-failures';
import { PipelineStorage } from './storage';
import { InboxTrigger } from './trigger';
import { PipelineWorkflow } from './workflow';

/** The whole product as one construct. */
export class BedrockBatchPipeline extends Construct {
  readonly storage: PipelineStorage;
  readonly bedrockRole: iam.Role;
  readonly functions: Readonly<Record<HandlerName, lambda.Function>>;
  readonly stateMachine: sfn.StateMachine;
  readonly topic: sns.ITopic;
  readonly trigger: InboxTrigger;
  /** Stop jobs events that failed (alarmed; replay them as docs/operator.md says). */
  readonly stopJobsFailures: StopJobsFailures;
  /** The dashboard, the alarms and the notice for stopped or timed-out runs. */
  readonly monitoring: PipelineMonitoring;
  /** The validated pipelines, as deployed. */
  readonly pipelines: readonly PipelineDefinition[];

  constructor(scope: Construct, id: string, props: BedrockBatchPipelineProps = {}) {
    super(scope, id);
    validate(props);
    const stack = Stack.of(this);
    const pipelinesDir = path.resolve(props.pipelinesDir ?? path.join(PACKAGE_ROOT, 'pipelines'));
    this.pipelines = loadPipelines(pipelinesDir, props.jobTimeoutHours);
    warnOfEmulatorMinimum(this);
    const jobTimeoutHours =
      props.jobTimeoutHours ?? Math.max(JOB_TIMEOUT_HOURS.min, ...this.pipelines.map((p) => p.timeoutHours));

    this.storage = this.makeStorage(props);

    const modelIds = [
      ...new Set([...this.pipelines.map((p) => p.modelId), ...(props.additionalModelIds ?? [])]),
    ];
    const models = modelAccess(stack, modelIds, {
      ...DEFAULT_INFERENCE_PROFILE_REGIONS,
      ...props.inferenceProfileRegions,
    });
    this.bedrockRole = new BedrockServiceRole(this, 'BedrockServiceRole', {
      workBucket: this.storage.workBucket,
      models,
      encryptionKey: props.encryptionKey,
    }).role;

    const fns = this.makeFunctions(props, models, pipelinesDir);
    this.functions = fns;

    const notifications = new PipelineNotifications(this, 'Notifications', {
      email: props.notificationEmail,
      encryptionKey: props.encryptionKey,
      removalPolicy: props.removalPolicy,
    });
    this.topic = notifications.topic;

    const jobHours = longestJobHours(jobTimeoutHours, props.maxRunHours, props.executionTimeout);
    checkDeadlines(
      this,
      this.pipelines,
      props.executionTimeout?.toHours({ integral: false }) ?? 2 * jobHours + 12,
    );
    const workflow = this.makeWorkflow(props, fns, notifications.topic, jobHours);
    this.stateMachine = workflow.stateMachine;
    if (props.encryptionKey) {
      this.stateMachine.addToRolePolicy(
        new iam.PolicyStatement({
          actions: ['kms:Decrypt', 'kms:GenerateDataKey'],
          resources: [props.encryptionKey.keyArn],
        }),
      );
    }

    notifications.grantKeyToPublisher(this.stateMachine);

    fns['start-run'].addEnvironment('STATE_MACHINE_ARN', this.stateMachine.stateMachineArn);
    this.stateMachine.grantStartExecution(fns['start-run']);
    this.stopJobsFailures = new StopJobsFailures(this, 'StopJobsFailures', { stopJobs: fns['stop-jobs'] });
    this.stopJobsOnRunEnd(fns['stop-jobs']);
    this.trigger = new InboxTrigger(this, 'Trigger', {
      inputBucket: this.storage.inputBucket,
      startRun: fns['start-run'],
    });
    this.monitoring = new PipelineMonitoring(this, 'Monitoring', {
      topic: notifications.topic,
      stateMachine: this.stateMachine,
      functions: fns,
      queue: this.trigger.queue,
      deadLetterQueue: this.trigger.deadLetterQueue,
      stopJobsFailures: this.stopJobsFailures.queue,
      alarmJobHours: props.alarmJobHours,
    });
  }

  /** The Lambda functions, each with only the buckets, prefixes and models it needs. */
  private makeFunctions(props: BedrockBatchPipelineProps, models: ModelAccess, pipelinesDir: string) {
    return new PipelineFunctions(this, 'Functions', {
      inputBucket: this.storage.inputBucket,
      workBucket: this.storage.workBucket,
      resultsBucket: this.storage.resultsBucket,
      bedrockRole: this.bedrockRole,
      models,
      pipelinesDir,
      maxRunHours: props.maxRunHours,
      collectStorageMiB: collectStorage(this.pipelines, props.collectStorageMiB),
      onDemandConcurrency: props.onDemandConcurrency,
      traceSdkCalls: props.traceSdkCalls,
      encryptionKey: props.encryptionKey,
      logRetention: props.logRetention,
      removalPolicy: props.removalPolicy,
    }).byName;
  }

  /** Stops a run's Bedrock jobs when its execution was aborted, timed out or failed. */
  private stopJobsOnRunEnd(stopJobs: lambda.IFunction): void {
    new events.Rule(this, 'RunEndedWithoutSuccess', {
      description: 'Stops the Bedrock jobs of a run whose execution was aborted, timed out or failed',
      eventPattern: {
        source: ['aws.states'],
        detailType: ['Step Functions Execution Status Change'],
        detail: {
          stateMachineArn: [this.stateMachine.stateMachineArn],
          status: ['ABORTED', 'TIMED_OUT', 'FAILED'],
        },
      },
      targets: [
        new targets.LambdaFunction(stopJobs, {
          retryAttempts: 8,
          maxEventAge: Duration.hours(24),
          deadLetterQueue: this.stopJobsFailures.queue,
        }),
      ],
    });
  }

  private makeStorage(props: BedrockBatchPipelineProps): PipelineStorage {
    return new PipelineStorage(this, 'Storage', {
      encryptionKey: props.encryptionKey,
      removalPolicy: props.removalPolicy,
      workRetentionDays: props.workRetentionDays,
      noncurrentVersionDays: props.noncurrentVersionDays,
      input: { existingBucket: props.existingInputBucket, bucketProps: props.inputBucketProps },
      work: { existingBucket: props.existingWorkBucket, bucketProps: props.workBucketProps },
      results: { existingBucket: props.existingResultsBucket, bucketProps: props.resultsBucketProps },
      accessLogs: {
        existingBucket: props.existingAccessLogsBucket,
        bucketProps: props.accessLogsBucketProps,
      },
    });
  }

  private makeWorkflow(
    props: BedrockBatchPipelineProps,
    fns: Readonly<Record<HandlerName, lambda.Function>>,
    topic: sns.ITopic,
    jobHours: number,
  ): PipelineWorkflow {
    return new PipelineWorkflow(this, 'Workflow', {
      prepareInput: fns['prepare-input'],
      submitJob: fns['submit-job'],
      checkJob: fns['check-job'],
      collectResults: fns['collect-results'],
      recordFailure: fns['record-failure'],
      invokeOnDemand: fns['invoke-on-demand'],
      planRetry: fns['plan-retry'],
      recordJob: fns['record-job'],
      topic,
      maxConcurrentJobs: props.maxConcurrentJobs ?? 10,
      timeout: props.executionTimeout ?? Duration.hours(2 * jobHours + 12),
      logRetention: props.logRetention,
      removalPolicy: props.removalPolicy,
    });
  }
}
