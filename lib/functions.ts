/**
 * The Lambda functions, each with its own role, log group and only the S3 prefixes it needs.
 */
import { RemovalPolicy, Size, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { functionCode } from './function-code';
import { grantFunctionAccess } from './function-grants';
import { type FunctionSpec, functionSpecs } from './function-specs';
import { HANDLER_NAMES, type HandlerName } from './handler-names';
import type { ModelAccess } from './model-arns';
import { acknowledgeInlinePolicy, acknowledgeWildcards } from './nag';

/** Properties of {@link PipelineFunctions}. */
export interface PipelineFunctionsProps {
  readonly inputBucket: s3.IBucket;
  readonly workBucket: s3.IBucket;
  readonly resultsBucket: s3.IBucket;
  /** The Bedrock service role: only Submit job may pass it. */
  readonly bedrockRole: iam.IRole;
  /** The models and inference profiles Submit job may create jobs for and Invoke on demand may invoke. */
  readonly models: ModelAccess;
  /** The folder copied into the Prepare function's bundle. */
  readonly pipelinesDir: string;
  /**
   * Check job stops a job still running this many hours after its submission.
   * @default - each job's own timeoutHours + 24 (decided by Check job)
   */
  readonly maxRunHours?: number;
  /**
   * Collect's ephemeral storage (`/tmp`) in MiB, where one shard's outcomes and dedupe's carried answers
   * wait (see `collectStorageMiB` in spill-size.ts); Prepare gets it too (`COLLECT_STORAGE_MIB`).
   */
  readonly collectStorageMiB: number;
  /**
   * Model calls one Invoke on demand function makes at once (`ON_DEMAND_CONCURRENCY`).
   * @default 4 (the function's own default)
   */
  readonly onDemandConcurrency?: number;
  /**
   * Loads the Powertools tracer in the handlers (`POWERTOOLS_TRACE_ENABLED`), so each SDK call is an X-Ray
   * subsegment.
   * @default false
   */
  readonly traceSdkCalls?: boolean;
  /** @default - no KMS permissions (SSE-S3 buckets) */
  readonly encryptionKey?: kms.IKey;
  /** @default logs.RetentionDays.ONE_YEAR */
  readonly logRetention?: logs.RetentionDays;
  /** @default RemovalPolicy.RETAIN */
  readonly removalPolicy?: RemovalPolicy;
}

/** The pipeline's Lambda functions, keyed by handler name. */
export class PipelineFunctions extends Construct {
  /** Every function by its handler folder name. */
  readonly byName: Readonly<Record<HandlerName, lambda.Function>>;

  constructor(scope: Construct, id: string, props: PipelineFunctionsProps) {
    super(scope, id);
    const specs = functionSpecs({
      inputBucketName: props.inputBucket.bucketName,
      workBucketName: props.workBucket.bucketName,
      resultsBucketName: props.resultsBucket.bucketName,
      bedrockRoleArn: props.bedrockRole.roleArn,
      encryptionKeyArn: props.encryptionKey?.keyArn,
      maxRunHours: props.maxRunHours,
      collectStorageMiB: props.collectStorageMiB,
      onDemandConcurrency: props.onDemandConcurrency,
    });
    const made = {} as Record<HandlerName, lambda.Function>;
    for (const name of HANDLER_NAMES) {
      made[name] = this.makeFunction(name, specs[name], props);
    }
    this.byName = made;
    grantFunctionAccess(this, made, props);
  }

  private makeFunction(name: HandlerName, spec: FunctionSpec, props: PipelineFunctionsProps) {
    const scope = new Construct(this, pascal(name));
    const logGroup = new logs.LogGroup(scope, 'LogGroup', {
      retention: props.logRetention ?? logs.RetentionDays.ONE_YEAR,
      removalPolicy: props.removalPolicy ?? RemovalPolicy.RETAIN,
    });
    Validations.of(logGroup).acknowledge({
      id: 'HIPAA.Security-CloudWatchLogGroupEncrypted',
      reason:
        'Handlers log ids, counts and error codes only, never row text; CloudWatch Logs encrypts at rest.',
    });
    const role = new iam.Role(scope, 'Role', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: `Runs the ${name} function of the bedrock-batch-pipeline`,
    });
    logGroup.grantWrite(role);
    const fn = new lambda.Function(scope, 'Function', {
      code: functionCode(name, spec.bundlePipelines ? props.pipelinesDir : undefined),
      handler: 'index.handler',
      description: spec.description,
      runtime: lambda.Runtime.NODEJS_24_X,
      architecture: lambda.Architecture.ARM_64,
      memorySize: spec.memorySize,
      ephemeralStorageSize:
        spec.ephemeralStorageMiB === undefined ? undefined : Size.mebibytes(spec.ephemeralStorageMiB),
      timeout: spec.timeout,
      tracing: lambda.Tracing.ACTIVE,
      role,
      logGroup,
      loggingFormat: lambda.LoggingFormat.JSON,
      environment: {
        POWERTOOLS_SERVICE_NAME: 'bedrock-batch-pipeline',
        POWERTOOLS_TRACE_ENABLED: props.traceSdkCalls === true ? 'true' : 'false',
        NODE_OPTIONS: '--enable-source-maps',
        ...spec.environment,
      },
    });
    acknowledgeFunctionFindings(name, fn, role);
    return fn;
  }
}

function pascal(name: string): string {
  return name.replace(/(^|-)([a-z])/g, (_m, _d, c: string) => c.toUpperCase());
}

/** The cdk-nag findings every function has by design, each with its reason. */
function acknowledgeFunctionFindings(name: HandlerName, fn: lambda.Function, role: iam.Role): void {
  Validations.of(fn).acknowledge({
    id: 'HIPAA.Security-LambdaInsideVPC',
    reason: 'The function calls only AWS APIs (S3, Bedrock, Step Functions); it reaches no VPC resource.',
  });
  Validations.of(fn).acknowledge({
    id: 'HIPAA.Security-LambdaConcurrency',
    reason:
      'Reserved concurrency would take capacity from small accounts (10 by default); load is bounded by the Map limit and SQS.',
  });
  Validations.of(fn).acknowledge({
    id: 'HIPAA.Security-LambdaDLQ',
    reason:
      name === 'start-run'
        ? "Fed by SQS: undeliverable messages move to the queue's dead-letter queue."
        : name === 'stop-jobs'
          ? 'Invoked asynchronously by EventBridge: an event that still fails after the retries goes to the ' +
            'alarmed StopJobsFailures queue (on-failure destination), from which it is replayed.'
          : 'Invoked synchronously by Step Functions; failures are retried and caught by the state machine.',
  });
  acknowledgeInlinePolicy(role);
  acknowledgeWildcards(role, {
    resources: ['*'],
    reason:
      'X-Ray PutTraceSegments/PutTelemetryRecords and bedrock:ListModelInvocationJobs (Stop jobs only) ' +
      'support no resource-level permissions.',
  });
}
