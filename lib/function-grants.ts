/**
 * What each pipeline function may touch: the S3 prefixes of the layout module, the Bedrock jobs of this
 * account and Region, the models, and the key. Every pattern derives from `lambda/core/layout`.
 */
import { Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import type { Construct } from 'constructs';
import {
  batchInputPrefix,
  batchOutputPrefix,
  INBOX_PREFIX,
  jobResultsPrefix,
  RESULTS_PREFIX,
  RUNS_PREFIX,
  retryInputRoot,
  retryPlanKey,
} from '../lambda/core/contract/layout';
import { modelInvocationJobArns } from './bedrock-service-role';
import type { HandlerName } from './handler-names';
import { type ModelAccess, modelAccessArns, modelStatements } from './model-arns';
import { acknowledgeWildcards } from './nag';

/** Any run id, in an IAM resource pattern. */
const ANY_RUN = '*';

/** Objects Invoke on demand reads: the shards, and the inputs of an on-demand retry round. */
const ON_DEMAND_READ_PREFIXES = [`${batchInputPrefix(ANY_RUN)}*`, `${retryInputRoot(ANY_RUN)}*`];

/** Objects Invoke on demand writes: its outputs, where a batch job's would be. */
const ON_DEMAND_WRITE_PREFIX = `${batchOutputPrefix(ANY_RUN)}*`;

/** Objects Plan retry writes: the second round's inputs and its plan. */
const RETRY_WRITE_PREFIXES = [`${retryInputRoot(ANY_RUN)}*`, retryPlanKey(ANY_RUN)];

/** Objects Record job result writes: each Map iteration's result. */
const JOB_RESULTS_PREFIX = `${jobResultsPrefix(ANY_RUN)}*`;

/** What {@link grantFunctionAccess} grants on. */
interface FunctionGrantsProps {
  readonly inputBucket: s3.IBucket;
  readonly workBucket: s3.IBucket;
  readonly resultsBucket: s3.IBucket;
  /** The Bedrock service role: only Submit job may pass it. */
  readonly bedrockRole: iam.IRole;
  /** The models and inference profiles Submit job may create jobs for and Invoke on demand may invoke. */
  readonly models: ModelAccess;
  /** @default - no KMS permissions (SSE-S3 buckets) */
  readonly encryptionKey?: kms.IKey;
}

type Functions = Readonly<Record<HandlerName, lambda.Function>>;

/** The S3 object patterns the grants name, for the wildcard acknowledgement. */
interface Granted {
  readonly inbox: string;
  readonly runs: string;
  readonly results: string;
  readonly objects: string[];
}

/** Adds each function's statements to its role and acknowledges the run-time wildcards they hold. */
export function grantFunctionAccess(scope: Construct, fns: Functions, props: FunctionGrantsProps): void {
  const granted = grantS3(fns, props);
  const jobs = grantBedrock(scope, fns, props);
  const reason =
    'Run ids and job ids exist only at run time: access is limited to the documented prefixes ' +
    `(${INBOX_PREFIX}*, ${RUNS_PREFIX}*, ${RESULTS_PREFIX}*) and to model-invocation-job/* of this account and Region.`;
  const wildcards = [
    granted.inbox,
    granted.runs,
    granted.results,
    jobs,
    ...granted.objects,
    ...modelAccessArns(props.models),
  ];
  // Each role acknowledges only the wildcards its own policy holds, so a new one still fails synth.
  for (const name of Object.keys(fns) as HandlerName[]) {
    const role = fns[name].role!;
    acknowledgeWildcards(role, { resources: heldBy(role, wildcards), reason });
  }
}

/** The `candidates` that `role`'s policy names as resources (compared resolved). */
function heldBy(role: iam.IRole, candidates: readonly string[]): string[] {
  const policy = role.node.tryFindChild('DefaultPolicy');
  if (!(policy instanceof iam.Policy)) return [];
  const stack = Stack.of(role);
  const key = (resource: unknown) => JSON.stringify(stack.resolve(resource));
  const { Statement } = policy.document.toJSON() as { Statement: { Resource?: unknown }[] };
  const held = new Set(Statement.flatMap((statement) => [statement.Resource].flat().map(key)));
  return candidates.filter((resource) => held.has(key(resource)));
}

/** Statement builders over the pipeline's buckets and key. */
function s3Grants(props: FunctionGrantsProps, inbox: string) {
  const read = (fn: lambda.Function, bucket: s3.IBucket, objects: string, prefix: string) => {
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
  const write = (fn: lambda.Function, objects: string | string[]) =>
    fn.addToRolePolicy(
      new iam.PolicyStatement({
        actions: ['s3:PutObject', 's3:AbortMultipartUpload'],
        resources: typeof objects === 'string' ? [objects] : objects,
      }),
    );
  const tag = (fn: lambda.Function) =>
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
  const useKey = (fn: lambda.Function) => {
    if (props.encryptionKey) {
      fn.addToRolePolicy(
        new iam.PolicyStatement({
          actions: ['kms:Decrypt', 'kms:GenerateDataKey'],
          resources: [props.encryptionKey.keyArn],
        }),
      );
    }
  };
  return { read, write, tag, useKey };
}

/** Each function's S3 (and key) statements: only the prefixes it reads or writes. */
function grantS3(fns: Functions, props: FunctionGrantsProps): Granted {
  const inbox = props.inputBucket.arnForObjects(`${INBOX_PREFIX}*`);
  const runs = props.workBucket.arnForObjects(`${RUNS_PREFIX}*`);
  const results = props.resultsBucket.arnForObjects(`${RESULTS_PREFIX}*`);
  const { read, write, tag, useKey } = s3Grants(props, inbox);

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
  write(planRetry, retryOutputs);
  useKey(planRetry);

  const jobResults = props.workBucket.arnForObjects(JOB_RESULTS_PREFIX);
  fns['record-job'].addToRolePolicy(
    new iam.PolicyStatement({ sid: 'WriteJobResults', actions: ['s3:PutObject'], resources: [jobResults] }),
  );
  useKey(fns['record-job']);
  return { inbox, runs, results, objects: [...onDemandInput, onDemandOutput, ...retryOutputs, jobResults] };
}

/** Submit job, Check job and Stop jobs on this account's Bedrock jobs; returns the jobs' ARN pattern. */
function grantBedrock(scope: Construct, fns: Functions, props: FunctionGrantsProps): string {
  const jobs = modelInvocationJobArns(Stack.of(scope));
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
  fns['check-job'].addToRolePolicy(
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
  return jobs;
}
