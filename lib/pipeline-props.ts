/** The properties of BedrockBatchPipeline: pipelines, limits, encryption, notifications, retention, buckets. */
import type { Duration, RemovalPolicy } from 'aws-cdk-lib';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type * as logs from 'aws-cdk-lib/aws-logs';
import type * as s3 from 'aws-cdk-lib/aws-s3';

/** Properties of BedrockBatchPipeline (lib/pipeline.ts). */
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
   * Model calls one Invoke on demand function makes at once (`ON_DEMAND_CONCURRENCY`), 1..64.
   * @default 4
   */
  readonly onDemandConcurrency?: number;
  /**
   * Collect's ephemeral storage (`/tmp`) in MiB, up to Lambda's 10,240: room for dedupe's carried answers
   * beside one shard's results (Prepare refuses a run that would not fit: `COLLECT_STORAGE_TOO_SMALL`).
   * Never less than the pipelines' largest shard needs.
   * @default - what the pipelines' largest shard needs (spill-size.ts), at least 512
   */
  readonly collectStorageMiB?: number;
  /**
   * Trace every AWS SDK call of the functions (S3, Bedrock, Step Functions) as an X-Ray subsegment, with
   * the Powertools tracer. Off by default: the X-Ray SDK it loads hooks every promise of the process, which
   * costs Collect about 45% more CPU (bench/RESULTS.md) and so shrinks the largest run it can
   * collect. Each function invocation is traced either way.
   * @default false
   */
  readonly traceSdkCalls?: boolean;
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
