/**
 * The Lambda functions, each with its own role, log group and only the S3 prefixes it needs.
 */
import * as path from 'node:path';
import { Duration, RemovalPolicy, Size, Stack, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as nodejs from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { INBOX_PREFIX, RESULTS_PREFIX, RUNS_PREFIX } from '../lambda/core/layout';
import { modelInvocationJobArns } from './bedrock-service-role';
import { type ModelAccess, modelAccessArns, modelStatements } from './model-arns';
import { acknowledgeInlinePolicy, acknowledgeWildcards } from './nag';

/** The handler folders under `lambda/`, one function each. */
export const HANDLER_NAMES = [
  'start-run',
  'prepare-input',
  'submit-job',
  'check-job',
  'collect-results',
  'record-failure',
  'stop-jobs',
  'invoke-on-demand',
  'plan-retry',
  'record-job',
] as const;

/** A handler folder name. */
export type HandlerName = (typeof HANDLER_NAMES)[number];

/** Objects Invoke on demand reads: the shards, and the inputs of an on-demand retry round. */
export const ON_DEMAND_READ_PREFIXES = [`${RUNS_PREFIX}*/batch-input/*`, `${RUNS_PREFIX}*/retry-input/*`];

/** Objects Invoke on demand writes: its outputs, where a batch job's would be. */
export const ON_DEMAND_WRITE_PREFIX = `${RUNS_PREFIX}*/batch-output/*`;

/** Objects Plan retry writes: the second round's inputs and its plan. */
export const RETRY_WRITE_PREFIXES = [`${RUNS_PREFIX}*/retry-input/*`, `${RUNS_PREFIX}*/retry-plan.json`];

/** Objects Record job result writes: each Map iteration's result. */
export const JOB_RESULTS_PREFIX = `${RUNS_PREFIX}*/jobs/*`;

/** The repository (or installed package) root: `lambda/` and `pipelines/` live here. */
export const PACKAGE_ROOT = path.resolve(import.meta.dirname, '..');

/** Where the Prepare function finds the bundled pipelines. */
export const BUNDLED_PIPELINES_DIR = '/var/task/pipelines';

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
   * Collect's ephemeral storage (`/tmp`) in MiB, where one shard's outcomes wait (see `collectStorageMiB`).
   * @default 512
   */
  readonly collectStorageMiB?: number;
  /** @default - no KMS permissions (SSE-S3 buckets) */
  readonly encryptionKey?: kms.IKey;
  /** @default logs.RetentionDays.ONE_YEAR */
  readonly logRetention?: logs.RetentionDays;
  /** @default RemovalPolicy.RETAIN */
  readonly removalPolicy?: RemovalPolicy;
}

interface FunctionSpec {
  readonly description: string;
  readonly memorySize: number;
  readonly timeout: Duration;
  readonly environment: Record<string, string>;
  readonly bundlePipelines?: boolean;
  /** @default 512 (Lambda's default) */
  readonly ephemeralStorageMiB?: number;
}

/** The pipeline's Lambda functions, keyed by handler name. */
export class PipelineFunctions extends Construct {
  /** Every function by its handler folder name. */
  readonly byName: Readonly<Record<HandlerName, nodejs.NodejsFunction>>;

  constructor(scope: Construct, id: string, props: PipelineFunctionsProps) {
    super(scope, id);
    const buckets = {
      INPUT_BUCKET: props.inputBucket.bucketName,
      WORK_BUCKET: props.workBucket.bucketName,
      RESULTS_BUCKET: props.resultsBucket.bucketName,
    };
    const specs: Record<HandlerName, FunctionSpec> = {
      'start-run': {
        description: 'Starts one pipeline run per CSV dropped into the inbox',
        memorySize: 256,
        timeout: Duration.seconds(30),
        environment: { INPUT_BUCKET: buckets.INPUT_BUCKET },
      },
      'prepare-input': {
        description: 'Validates the CSV and writes the JSONL shards of a run',
        memorySize: 2048,
        timeout: Duration.minutes(15),
        environment: {
          INPUT_BUCKET: buckets.INPUT_BUCKET,
          WORK_BUCKET: buckets.WORK_BUCKET,
          // A re-run reads the previous run's summary.json and results.jsonl.
          RESULTS_BUCKET: buckets.RESULTS_BUCKET,
          PIPELINES_DIR: BUNDLED_PIPELINES_DIR,
        },
        bundlePipelines: true,
      },
      'submit-job': {
        description: 'Creates one Bedrock batch inference job for one shard',
        memorySize: 256,
        timeout: Duration.minutes(1),
        environment: {
          WORK_BUCKET: buckets.WORK_BUCKET,
          BEDROCK_ROLE_ARN: props.bedrockRole.roleArn,
          ...(props.encryptionKey ? { OUTPUT_KMS_KEY_ID: props.encryptionKey.keyArn } : {}),
        },
      },
      'check-job': {
        description: 'Reads a batch job status and decides the next step',
        memorySize: 256,
        timeout: Duration.minutes(1),
        environment: props.maxRunHours === undefined ? {} : { MAX_RUN_HOURS: String(props.maxRunHours) },
      },
      'collect-results': {
        description: 'Joins the batch output with the input rows and writes the results files',
        memorySize: 2048,
        timeout: Duration.minutes(15),
        environment: buckets,
        ephemeralStorageMiB: props.collectStorageMiB,
      },
      'record-failure': {
        description: 'Writes the failure report of a run and tags its input file',
        memorySize: 256,
        timeout: Duration.minutes(1),
        environment: { INPUT_BUCKET: buckets.INPUT_BUCKET, RESULTS_BUCKET: buckets.RESULTS_BUCKET },
      },
      'stop-jobs': {
        description: 'Stops the Bedrock jobs of a run whose execution ended without succeeding',
        memorySize: 256,
        timeout: Duration.minutes(5),
        environment: {},
      },
      'invoke-on-demand': {
        description: 'Runs one small shard through the Bedrock runtime API instead of a batch job',
        memorySize: 512,
        timeout: Duration.minutes(15),
        environment: { WORK_BUCKET: buckets.WORK_BUCKET },
      },
      'plan-retry': {
        description: 'Finds the rows that deserve a second round and writes its inputs',
        memorySize: 1024,
        timeout: Duration.minutes(15),
        environment: { WORK_BUCKET: buckets.WORK_BUCKET },
      },
      'record-job': {
        description: 'Writes the result of one batch job or on-demand invocation of a run',
        memorySize: 256,
        timeout: Duration.seconds(30),
        environment: { WORK_BUCKET: buckets.WORK_BUCKET },
      },
    };
    const made = {} as Record<HandlerName, nodejs.NodejsFunction>;
    for (const name of HANDLER_NAMES) {
      made[name] = this.makeFunction(name, specs[name], props);
    }
    this.byName = made;
    this.grant(props);
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
    const pipelinesDir = props.pipelinesDir;
    const fn = new nodejs.NodejsFunction(scope, 'Function', {
      entry: path.join(PACKAGE_ROOT, 'lambda', name, 'index.ts'),
      handler: 'handler',
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
        NODE_OPTIONS: '--enable-source-maps',
        ...spec.environment,
      },
      projectRoot: PACKAGE_ROOT,
      depsLockFilePath: path.join(PACKAGE_ROOT, 'package-lock.json'),
      bundling: {
        format: nodejs.OutputFormat.ESM,
        target: 'node24',
        mainFields: ['module', 'main'],
        banner:
          "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);",
        externalModules: [],
        minify: true,
        // The state machine's Retry, Catch and Record failure match errors by class name.
        keepNames: true,
        logLevel: nodejs.LogLevel.WARNING,
        sourceMap: true,
        commandHooks: spec.bundlePipelines
          ? {
              beforeBundling: () => [],
              beforeInstall: () => [],
              afterBundling: (_inputDir: string, outputDir: string) => [
                `cp -R "${pipelinesDir}" "${outputDir}/pipelines"`,
              ],
            }
          : undefined,
      },
    });
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
    return fn;
  }

  private grant(props: PipelineFunctionsProps): void {
    const fns = this.byName;
    const stack = Stack.of(this);
    const inbox = props.inputBucket.arnForObjects(`${INBOX_PREFIX}*`);
    const runs = props.workBucket.arnForObjects(`${RUNS_PREFIX}*`);
    const results = props.resultsBucket.arnForObjects(`${RESULTS_PREFIX}*`);
    const read = (fn: nodejs.NodejsFunction, bucket: s3.IBucket, objects: string, prefix: string) => {
      fn.addToRolePolicy(
        new iam.PolicyStatement({ actions: ['s3:GetObject', 's3:GetObjectVersion'], resources: [objects] }),
      );
      fn.addToRolePolicy(
        new iam.PolicyStatement({
          actions: ['s3:ListBucket'],
          resources: [bucket.bucketArn],
          conditions: { StringLike: { 's3:prefix': [`${prefix}*`] } },
        }),
      );
    };
    const write = (fn: nodejs.NodejsFunction, objects: string) =>
      fn.addToRolePolicy(
        new iam.PolicyStatement({
          actions: ['s3:PutObject', 's3:AbortMultipartUpload'],
          resources: [objects],
        }),
      );
    const tag = (fn: nodejs.NodejsFunction) =>
      fn.addToRolePolicy(
        new iam.PolicyStatement({
          actions: [
            's3:GetObjectTagging',
            's3:GetObjectVersionTagging',
            's3:PutObjectTagging',
            's3:PutObjectVersionTagging',
          ],
          resources: [inbox],
        }),
      );
    const useKey = (fn: nodejs.NodejsFunction) => {
      if (props.encryptionKey) {
        fn.addToRolePolicy(
          new iam.PolicyStatement({
            actions: ['kms:Decrypt', 'kms:GenerateDataKey'],
            resources: [props.encryptionKey.keyArn],
          }),
        );
      }
    };

    read(fns['start-run'], props.inputBucket, inbox, INBOX_PREFIX);

    read(fns['prepare-input'], props.inputBucket, inbox, INBOX_PREFIX);
    read(fns['prepare-input'], props.workBucket, runs, RUNS_PREFIX);
    read(fns['prepare-input'], props.resultsBucket, results, RESULTS_PREFIX);
    write(fns['prepare-input'], runs);
    useKey(fns['prepare-input']);

    read(fns['collect-results'], props.workBucket, runs, RUNS_PREFIX);
    read(fns['collect-results'], props.resultsBucket, results, RESULTS_PREFIX);
    write(fns['collect-results'], results);
    tag(fns['collect-results']);
    useKey(fns['collect-results']);

    write(fns['record-failure'], results);
    tag(fns['record-failure']);
    useKey(fns['record-failure']);

    const onDemand = fns['invoke-on-demand'];
    const onDemandInput = ON_DEMAND_READ_PREFIXES.map((prefix) => props.workBucket.arnForObjects(prefix));
    const onDemandOutput = props.workBucket.arnForObjects(ON_DEMAND_WRITE_PREFIX);
    onDemand.addToRolePolicy(
      new iam.PolicyStatement({ sid: 'ReadShards', actions: ['s3:GetObject'], resources: onDemandInput }),
    );
    write(onDemand, onDemandOutput);
    useKey(onDemand);
    for (const statement of modelStatements('InvokeModels', ['bedrock:InvokeModel'], props.models)) {
      onDemand.addToRolePolicy(statement);
    }

    const planRetry = fns['plan-retry'];
    const retryOutputs = RETRY_WRITE_PREFIXES.map((prefix) => props.workBucket.arnForObjects(prefix));
    read(planRetry, props.workBucket, runs, RUNS_PREFIX);
    planRetry.addToRolePolicy(
      new iam.PolicyStatement({
        actions: ['s3:PutObject', 's3:AbortMultipartUpload'],
        resources: retryOutputs,
      }),
    );
    useKey(planRetry);

    const jobResults = props.workBucket.arnForObjects(JOB_RESULTS_PREFIX);
    fns['record-job'].addToRolePolicy(
      new iam.PolicyStatement({ sid: 'WriteJobResults', actions: ['s3:PutObject'], resources: [jobResults] }),
    );
    useKey(fns['record-job']);

    const jobs = modelInvocationJobArns(stack);
    const submit = fns['submit-job'];
    const createActions = ['bedrock:CreateModelInvocationJob', 'bedrock:GetModelInvocationJob'];
    for (const statement of modelStatements('CreateJobs', createActions, props.models, [jobs])) {
      submit.addToRolePolicy(statement);
    }
    // CreateModelInvocationJob with tags (run id, pipeline, shard) is also authorized as TagResource.
    submit.addToRolePolicy(
      new iam.PolicyStatement({ sid: 'TagJobs', actions: ['bedrock:TagResource'], resources: [jobs] }),
    );
    submit.addToRolePolicy(
      new iam.PolicyStatement({
        sid: 'PassBedrockRole',
        actions: ['iam:PassRole'],
        resources: [props.bedrockRole.roleArn],
        conditions: { StringEquals: { 'iam:PassedToService': 'bedrock.amazonaws.com' } },
      }),
    );
    const check = fns['check-job'];
    check.addToRolePolicy(
      new iam.PolicyStatement({
        sid: 'WatchJobs',
        actions: ['bedrock:GetModelInvocationJob', 'bedrock:StopModelInvocationJob'],
        resources: [jobs],
      }),
    );

    fns['stop-jobs'].addToRolePolicy(
      new iam.PolicyStatement({
        sid: 'FindRunJobs',
        actions: ['bedrock:ListModelInvocationJobs'],
        resources: ['*'],
      }),
    );
    fns['stop-jobs'].addToRolePolicy(
      new iam.PolicyStatement({
        sid: 'StopRunJobs',
        actions: ['bedrock:StopModelInvocationJob'],
        resources: [jobs],
      }),
    );

    const reason =
      'Run ids and job ids exist only at run time: access is limited to the documented prefixes ' +
      '(inbox/*, runs/*, results/*) and to model-invocation-job/* of this account and Region.';
    const wildcards = [
      inbox,
      runs,
      results,
      jobs,
      ...onDemandInput,
      onDemandOutput,
      ...retryOutputs,
      jobResults,
      ...modelAccessArns(props.models),
    ];
    for (const name of HANDLER_NAMES) {
      acknowledgeWildcards(fns[name].role!, { resources: wildcards, reason });
    }
  }
}

function pascal(name: string): string {
  return name.replace(/(^|-)([a-z])/g, (_m, _d, c: string) => c.toUpperCase());
}
