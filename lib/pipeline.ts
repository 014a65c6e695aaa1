/**
 * BedrockBatchPipeline: drop a CSV into the input bucket, get a results CSV back through Bedrock batch
 * inference. Wires storage, the Bedrock service role, the functions, the workflow, the trigger and
 * notifications.
 */
import * as path from 'node:path';
import { Annotations, Duration, type RemovalPolicy, Stack, Token } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type * as nodejs from 'aws-cdk-lib/aws-lambda-nodejs';
import type * as logs from 'aws-cdk-lib/aws-logs';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import type * as sns from 'aws-cdk-lib/aws-sns';
import type * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import {
  collectStorageMiB,
  EPHEMERAL_STORAGE_MIB,
  spillBytesPerRecord,
} from '../lambda/core/collect/spill-size';
import { EMULATOR_MIN_RECORDS_VARIABLE } from '../lambda/core/models/limits';
import { loadPipelinesDir } from '../lambda/core/pipeline';
import type { PipelineDefinition } from '../lambda/core/types';
import { BedrockServiceRole } from './bedrock-service-role';
import { type HandlerName, PACKAGE_ROOT, PipelineFunctions } from './functions';
import { DEFAULT_INFERENCE_PROFILE_REGIONS, modelAccess } from './model-arns';
import { PipelineMonitoring, PipelineNotifications } from './monitoring';
import { checkDeadlines } from './pipeline-deadlines';
import { StopJobsFailures } from './stop-jobs-failures';
import { PipelineStorage } from './storage';
import { InboxTrigger } from './trigger';
import { PipelineWorkflow } from './workflow';

/** Job timeout bounds Bedrock accepts (`timeoutDurationInHours`). */
export const JOB_TIMEOUT_HOURS = { min: 24, max: 168 } as const;

/** Properties of {@link BedrockBatchPipeline}. */
export interface BedrockBatchPipelineProps {
  /**
   * Folder of pipeline definitions (`<name>.json` plus prompt files). Every `*.json` is loaded and validated
   * at synth time (a broken pipeline fails synth) and bundled into the Prepare function.
   * @default - the package's `pipelines/` folder
   */
  readonly pipelinesDir?: string;
  /**
   * Models or inference profiles that jobs may invoke besides the pipelines' own `modelId`s (ids or ARNs).
   * @default - only the pipelines' models
   */
  readonly additionalModelIds?: readonly string[];
  /**
   * Regions each cross-Region inference-profile geography (`us`, `eu`, `apac`, ... prefix) routes to: the
   * foundation model is granted in each. `global` uses every Region (`*`).
   * @default DEFAULT_INFERENCE_PROFILE_REGIONS
   */
  readonly inferenceProfileRegions?: Readonly<Record<string, readonly string[]>>;
  /**
   * Batch jobs of one run in flight at once (the Map's MaxConcurrency). Keep it at or below the account's
   * concurrent batch-job quota for the model.
   * @default 10
   */
  readonly maxConcurrentJobs?: number;
  /**
   * The longest batch job timeout a pipeline may ask for, 24..168 hours (a pipeline asking for more fails
   * synth). The execution timeout is above it.
   * @default - the longest `timeoutHours` of the pipelines
   */
  readonly jobTimeoutHours?: number;
  /**
   * Check job stops a job still running this many hours after its submission (`MAX_RUN_HOURS`).
   * @default - each job's own `timeoutHours` + 24
   */
  readonly maxRunHours?: number;
  /**
   * The execution timeout of the state machine.
   * @default - 2 × max(jobTimeoutHours + 24, maxRunHours) + 12 hours: room for one resubmission of an
   * expired job
   */
  readonly executionTimeout?: Duration;
  /**
   * Customer-managed key for the input, work and results buckets, the topic and Bedrock's output.
   * @default - SSE-S3 buckets and the AWS managed SNS key
   */
  readonly encryptionKey?: kms.IKey;
  /**
   * An address that receives one e-mail per finished run.
   * @default - no subscription
   */
  readonly notificationEmail?: string;
  /**
   * The "job running too long" alarm fires when a batch job is still running this many hours after its
   * submission (metric `JobRunningHours`, published by Check job).
   * @default 24
   */
  readonly alarmJobHours?: number;
  /**
   * What happens to buckets and log groups when the stack is deleted. With DESTROY the created buckets are
   * emptied first (every version), so `cdk destroy` completes.
   * @default RemovalPolicy.RETAIN
   */
  readonly removalPolicy?: RemovalPolicy;
  /**
   * Days after which a run's working files (`runs/`) expire.
   * @default 30
   */
  readonly workRetentionDays?: number;
  /**
   * Days an earlier version of an object in the input, results and access-logs buckets is kept after it
   * was overwritten or deleted.
   * @default 90
   */
  readonly noncurrentVersionDays?: number;
  /**
   * Retention of the functions' and the state machine's logs.
   * @default logs.RetentionDays.ONE_YEAR
   */
  readonly logRetention?: logs.RetentionDays;
  /** @default - created (versioned, EventBridge on). An existing bucket must send events to EventBridge. */
  readonly existingInputBucket?: s3.IBucket;
  /** @default - secure defaults */
  readonly inputBucketProps?: s3.BucketProps;
  /** @default - created, with the `runs/` lifecycle */
  readonly existingWorkBucket?: s3.IBucket;
  /** @default - secure defaults */
  readonly workBucketProps?: s3.BucketProps;
  /** @default - created */
  readonly existingResultsBucket?: s3.IBucket;
  /** @default - secure defaults */
  readonly resultsBucketProps?: s3.BucketProps;
  /** @default - created */
  readonly existingAccessLogsBucket?: s3.IBucket;
  /** @default - secure defaults */
  readonly accessLogsBucketProps?: s3.BucketProps;
}

function validate(props: BedrockBatchPipelineProps): void {
  const hours = props.jobTimeoutHours;
  if (hours !== undefined && !Token.isUnresolved(hours)) {
    if (!Number.isInteger(hours) || hours < JOB_TIMEOUT_HOURS.min || hours > JOB_TIMEOUT_HOURS.max) {
      throw new Error(
        `jobTimeoutHours must be a whole number from ${JOB_TIMEOUT_HOURS.min} to ${JOB_TIMEOUT_HOURS.max}, got ${hours}`,
      );
    }
  }
  const runHours = props.maxRunHours;
  if (runHours !== undefined && !Token.isUnresolved(runHours) && !(runHours > 0)) {
    throw new Error(`maxRunHours must be a positive number of hours, got ${runHours}`);
  }
  const jobs = props.maxConcurrentJobs;
  if (jobs !== undefined && !Token.isUnresolved(jobs) && (!Number.isInteger(jobs) || jobs < 1)) {
    throw new Error(`maxConcurrentJobs must be a whole number >= 1, got ${jobs}`);
  }
  const alarmHours = props.alarmJobHours;
  if (alarmHours !== undefined && !Token.isUnresolved(alarmHours) && !(alarmHours > 0)) {
    throw new Error(`alarmJobHours must be a positive number of hours, got ${alarmHours}`);
  }
}

function loadPipelines(dir: string, jobTimeoutHours: number | undefined): PipelineDefinition[] {
  let pipelines: PipelineDefinition[];
  try {
    pipelines = loadPipelinesDir(dir);
  } catch (error) {
    throw new Error(`Invalid pipeline in ${dir}: ${(error as Error).message}`, { cause: error });
  }
  if (pipelines.length === 0) throw new Error(`No pipeline definitions (*.json) found in ${dir}`);
  if (jobTimeoutHours !== undefined && !Token.isUnresolved(jobTimeoutHours)) {
    for (const pipeline of pipelines) {
      if (pipeline.timeoutHours > jobTimeoutHours) {
        throw new Error(
          `Pipeline "${pipeline.name}": timeoutHours ${pipeline.timeoutHours} exceeds the stack's ` +
            `jobTimeoutHours ${jobTimeoutHours}`,
        );
      }
    }
  }
  return pipelines;
}

/** Collect's `/tmp` for the largest shard of any pipeline; refuses a pipeline whose shard cannot fit. */
function collectStorage(pipelines: readonly PipelineDefinition[]): number {
  let largest: number = EPHEMERAL_STORAGE_MIB.min;
  for (const pipeline of pipelines) {
    const mib = collectStorageMiB(pipeline);
    if (mib > EPHEMERAL_STORAGE_MIB.max) {
      const perRecord = spillBytesPerRecord(pipeline);
      const fits = Math.floor((pipeline.maxRecordsPerJob * EPHEMERAL_STORAGE_MIB.max) / mib);
      throw new Error(
        `Pipeline "${pipeline.name}": one shard's results need about ${mib} MiB of Collect's /tmp ` +
          `(${pipeline.maxRecordsPerJob} records of up to ${perRecord} bytes), above Lambda's ` +
          `${EPHEMERAL_STORAGE_MIB.max} MiB: lower maxRecordsPerJob to ${fits} or less, or maxTokens`,
      );
    }
    largest = Math.max(largest, mib);
  }
  return largest;
}

/** The whole product as one construct. */
export class BedrockBatchPipeline extends Construct {
  readonly storage: PipelineStorage;
  readonly bedrockRole: iam.Role;
  readonly functions: Readonly<Record<HandlerName, nodejs.NodejsFunction>>;
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
    if (process.env[EMULATOR_MIN_RECORDS_VARIABLE] !== undefined) {
      Annotations.of(this).addWarningV2(
        'bedrock-batch:emulator-minimum',
        `${EMULATOR_MIN_RECORDS_VARIABLE} is set: pipelines were checked against the local emulator's batch minimum, not Bedrock's; a deployed run refuses a pipeline below Bedrock's minimum.`,
      );
    }
    const jobTimeoutHours =
      props.jobTimeoutHours ?? Math.max(JOB_TIMEOUT_HOURS.min, ...this.pipelines.map((p) => p.timeoutHours));

    this.storage = new PipelineStorage(this, 'Storage', {
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

    const fns = new PipelineFunctions(this, 'Functions', {
      inputBucket: this.storage.inputBucket,
      workBucket: this.storage.workBucket,
      resultsBucket: this.storage.resultsBucket,
      bedrockRole: this.bedrockRole,
      models,
      pipelinesDir,
      maxRunHours: props.maxRunHours,
      collectStorageMiB: collectStorage(this.pipelines),
      encryptionKey: props.encryptionKey,
      logRetention: props.logRetention,
      removalPolicy: props.removalPolicy,
    }).byName;
    this.functions = fns;

    const notifications = new PipelineNotifications(this, 'Notifications', {
      email: props.notificationEmail,
      encryptionKey: props.encryptionKey,
      removalPolicy: props.removalPolicy,
    });
    this.topic = notifications.topic;

    const timeoutBasis = Token.isUnresolved(jobTimeoutHours) ? JOB_TIMEOUT_HOURS.max : jobTimeoutHours;
    const runLimit =
      props.maxRunHours !== undefined && !Token.isUnresolved(props.maxRunHours) ? props.maxRunHours : 0;
    const jobHours = Math.max(timeoutBasis + 24, runLimit);
    const executionHours = props.executionTimeout?.toHours({ integral: false });
    if (executionHours !== undefined && !Token.isUnresolved(executionHours) && executionHours <= jobHours) {
      throw new Error(
        `executionTimeout must be above the longest a job may run (${jobHours} hours), got ${executionHours} hours`,
      );
    }
    checkDeadlines(this, this.pipelines, executionHours ?? 2 * jobHours + 12);
    const workflow = new PipelineWorkflow(this, 'Workflow', {
      prepareInput: fns['prepare-input'],
      submitJob: fns['submit-job'],
      checkJob: fns['check-job'],
      collectResults: fns['collect-results'],
      recordFailure: fns['record-failure'],
      invokeOnDemand: fns['invoke-on-demand'],
      planRetry: fns['plan-retry'],
      recordJob: fns['record-job'],
      topic: notifications.topic,
      maxConcurrentJobs: props.maxConcurrentJobs ?? 10,
      timeout: props.executionTimeout ?? Duration.hours(2 * jobHours + 12),
      logRetention: props.logRetention,
      removalPolicy: props.removalPolicy,
    });
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
        new targets.LambdaFunction(fns['stop-jobs'], {
          retryAttempts: 8,
          maxEventAge: Duration.hours(24),
          deadLetterQueue: this.stopJobsFailures.queue,
        }),
      ],
    });
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
}
