/**
 * The four buckets: InputBucket (analysts' inbox), WorkBucket (a run's shards and Bedrock's output),
 * ResultsBucket (what analysts read) and AccessLogsBucket (server access logs of the other three).
 */
import { Duration, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { RUNS_PREFIX } from '../lambda/core/contract/layout';

/** One bucket: bring your own, or tune the one this construct creates. Never both. */
export interface BucketChoice {
  /**
   * A bucket you already have. It is used as is: its encryption, versioning, logging and policies are yours.
   * @default - a bucket is created with secure defaults
   */
  readonly existingBucket?: s3.IBucket;
  /**
   * Properties merged over the secure defaults of the created bucket.
   * @default - the secure defaults only
   */
  readonly bucketProps?: s3.BucketProps;
}

/** Properties of {@link PipelineStorage}. */
export interface PipelineStorageProps {
  /**
   * Customer-managed key for the input, work and results buckets (the access-logs bucket stays SSE-S3:
   * S3 server access logging cannot deliver to an SSE-KMS bucket).
   * @default - SSE-S3
   */
  readonly encryptionKey?: kms.IKey;
  /**
   * What happens to the created buckets when the stack is deleted.
   * @default RemovalPolicy.RETAIN
   */
  readonly removalPolicy?: RemovalPolicy;
  /**
   * Days after which a run's working files (`runs/`) in the WorkBucket expire.
   * @default 30
   */
  readonly workRetentionDays?: number;
  /**
   * Days an overwritten or deleted object's earlier version is kept in the created input, results and
   * access-logs buckets before it expires (the current version never expires).
   * @default DEFAULT_NONCURRENT_VERSION_DAYS (90)
   */
  readonly noncurrentVersionDays?: number;
  /** @default - created: versioned, EventBridge notifications on. An existing bucket must send events to EventBridge. */
  readonly input?: BucketChoice;
  /** @default - created, with the `runs/` lifecycle */
  readonly work?: BucketChoice;
  /** @default - created, versioned */
  readonly results?: BucketChoice;
  /** @default - created, SSE-S3, versioned */
  readonly accessLogs?: BucketChoice;
}

/** The default of {@link PipelineStorageProps.noncurrentVersionDays}. */
export const DEFAULT_NONCURRENT_VERSION_DAYS = 90;

function checkDays(field: string, days: number): void {
  if (!Number.isInteger(days) || days < 1) {
    throw new Error(`${field} must be a whole number of days >= 1, got ${days}`);
  }
}

function checkChoice(field: string, choice: BucketChoice | undefined): void {
  if (choice?.existingBucket !== undefined && choice.bucketProps !== undefined) {
    throw new Error(
      `${field}: give either existingBucket or bucketProps, not both (an existing bucket is used as is)`,
    );
  }
}

function acknowledgeNoReplication(bucket: s3.Bucket): void {
  Validations.of(bucket).acknowledge({
    id: 'HIPAA.Security-S3BucketReplicationEnabled',
    reason:
      'Single-Region product: inputs are versioned and results can be rebuilt by re-running; add ' +
      'replication through bucketProps or bring your own replicated bucket when required.',
  });
}

/** CDK's singleton that turns on EventBridge notifications uses the Lambda basic execution managed policy. */
function acknowledgeNotificationsHandler(bucket: s3.Bucket): void {
  Validations.of(bucket).acknowledge({
    id: 'HIPAA.Security-IAMNoInlinePolicy',
    reason: 'CDK-owned policy of the custom resource that enables EventBridge notifications on this bucket.',
  });
  const stack = Stack.of(bucket);
  for (const child of stack.node.children) {
    if (child.node.id.startsWith('BucketNotificationsHandler')) {
      Validations.of(child).acknowledge({
        id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
        reason:
          'CDK-owned custom resource that enables EventBridge notifications; it only writes its own logs.',
      });
    }
  }
}

/** The product's buckets, with public access blocked, SSL enforced, encryption and access logs. */
export class PipelineStorage extends Construct {
  /** Analysts drop `inbox/<pipeline>/<file>.csv` here. */
  readonly inputBucket: s3.IBucket;
  /** `runs/<runId>/...`: shards, row sidecars, Bedrock's output. */
  readonly workBucket: s3.IBucket;
  /** `results/<pipeline>/<runId>/...`. */
  readonly resultsBucket: s3.IBucket;
  /** Server access logs of the buckets created here. */
  readonly accessLogsBucket: s3.IBucket;

  constructor(scope: Construct, id: string, props: PipelineStorageProps = {}) {
    super(scope, id);
    this.node.setContext('@aws-cdk/aws-s3:serverAccessLogsUseBucketPolicy', true);
    for (const name of ['input', 'work', 'results', 'accessLogs'] as const) checkChoice(name, props[name]);
    const retentionDays = props.workRetentionDays ?? 30;
    checkDays('workRetentionDays', retentionDays);
    const noncurrentDays = props.noncurrentVersionDays ?? DEFAULT_NONCURRENT_VERSION_DAYS;
    checkDays('noncurrentVersionDays', noncurrentDays);
    const removalPolicy = props.removalPolicy ?? RemovalPolicy.RETAIN;
    const secure: s3.BucketProps = {
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      removalPolicy,
      // CloudFormation deletes only empty buckets: with DESTROY a custom resource empties them first.
      autoDeleteObjects: removalPolicy === RemovalPolicy.DESTROY ? true : undefined,
    };
    const expireNoncurrent = expireNoncurrentVersions(noncurrentDays);
    const uploadBucketRules = [expireNoncurrent, ABORT_INCOMPLETE_UPLOADS];

    this.accessLogsBucket =
      props.accessLogs?.existingBucket ??
      new s3.Bucket(this, 'AccessLogsBucket', {
        ...secure,
        encryption: s3.BucketEncryption.S3_MANAGED,
        versioned: true,
        lifecycleRules: [expireNoncurrent],
        ...props.accessLogs?.bucketProps,
      });
    if (this.accessLogsBucket instanceof s3.Bucket) acknowledgeAccessLogsBucket(this.accessLogsBucket);

    const encrypted: s3.BucketProps = {
      ...secure,
      encryption: props.encryptionKey ? s3.BucketEncryption.KMS : s3.BucketEncryption.S3_MANAGED,
      encryptionKey: props.encryptionKey,
      bucketKeyEnabled: props.encryptionKey ? true : undefined,
      serverAccessLogsBucket: this.accessLogsBucket,
    };
    const create = (bucketId: string, defaults: s3.BucketProps, choice?: BucketChoice): s3.IBucket => {
      if (choice?.existingBucket) return choice.existingBucket;
      const bucket = new s3.Bucket(this, bucketId, {
        ...encrypted,
        serverAccessLogsPrefix: `${bucketId}/`,
        ...defaults,
        ...choice?.bucketProps,
      });
      acknowledgeNoReplication(bucket);
      if (!props.encryptionKey) {
        Validations.of(bucket).acknowledge({
          id: 'HIPAA.Security-S3DefaultEncryptionKMS',
          reason: 'SSE-S3 is the documented default; pass encryptionKey for a customer-managed key.',
        });
      }
      return bucket;
    };

    this.inputBucket = create(
      'InputBucket',
      { versioned: true, eventBridgeEnabled: true, lifecycleRules: uploadBucketRules },
      props.input,
    );
    if (this.inputBucket instanceof s3.Bucket) acknowledgeNotificationsHandler(this.inputBucket);
    this.workBucket = create(
      'WorkBucket',
      {
        versioned: false,
        lifecycleRules: [
          { id: 'expire-runs', prefix: RUNS_PREFIX, expiration: Duration.days(retentionDays) },
          ABORT_INCOMPLETE_UPLOADS,
        ],
      },
      props.work,
    );
    if (this.workBucket instanceof s3.Bucket) acknowledgeUnversionedWorkBucket(this.workBucket);
    this.resultsBucket = create(
      'ResultsBucket',
      { versioned: true, lifecycleRules: uploadBucketRules },
      props.results,
    );
  }
}

/** The access-logs bucket's findings, each by design. */
function acknowledgeAccessLogsBucket(bucket: s3.Bucket): void {
  acknowledgeNoReplication(bucket);
  Validations.of(bucket).acknowledge({
    id: 'AwsSolutions-S1',
    reason: 'This is the access-logs bucket; logging it to itself would loop.',
  });
  Validations.of(bucket).acknowledge({
    id: 'HIPAA.Security-S3BucketLoggingEnabled',
    reason: 'This is the access-logs bucket; logging it to itself would loop.',
  });
  Validations.of(bucket).acknowledge({
    id: 'HIPAA.Security-S3DefaultEncryptionKMS',
    reason: 'S3 server access logging delivers only to SSE-S3 buckets; the logs hold no row data.',
  });
}

/** The WorkBucket is not versioned, by design. */
function acknowledgeUnversionedWorkBucket(bucket: s3.Bucket): void {
  Validations.of(bucket).acknowledge({
    id: 'HIPAA.Security-S3BucketVersioningEnabled',
    reason: 'Working files are transient, rebuilt by a new run, and expire after workRetentionDays.',
  });
}

/**
 * Parts of a multipart upload that never completed (a Collect stopped mid-run, an analyst's upload cut
 * off) are billed until removed: every bucket that receives uploads drops them after a day.
 */
const ABORT_INCOMPLETE_UPLOADS: s3.LifecycleRule = {
  id: 'abort-incomplete-uploads',
  abortIncompleteMultipartUploadAfter: Duration.days(1),
};

/** Noncurrent versions (and their delete markers) expire after `days`. */
function expireNoncurrentVersions(days: number): s3.LifecycleRule {
  return {
    id: 'expire-noncurrent-versions',
    noncurrentVersionExpiration: Duration.days(days),
    expiredObjectDeleteMarker: true,
  };
}
