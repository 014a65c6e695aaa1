/**
 * The role Bedrock assumes to run a batch job: read the shards, write the output, invoke the models.
 */
import { ArnFormat, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import {
  batchInputPrefix,
  batchOutputPrefix,
  RUNS_PREFIX,
  retryInputRoot,
} from '../lambda/core/contract/layout';
import { type ModelAccess, modelAccessArns, modelStatements } from './model-arns';
import { acknowledgeInlinePolicy, acknowledgeWildcards } from './nag';

/** Any run id, in an IAM resource pattern. */
const ANY_RUN = '*';

/** Properties of {@link BedrockServiceRole}. */
export interface BedrockServiceRoleProps {
  /**
   * The WorkBucket: Bedrock reads `runs/<id>/batch-input/` (and `retry-input/` for a second round) and
   * writes `runs/<id>/batch-output/` there.
   */
  readonly workBucket: s3.IBucket;
  /** The models and inference profiles a job may invoke (see `modelAccess`). */
  readonly models: ModelAccess;
  /**
   * The key of the WorkBucket and of Bedrock's output.
   * @default - no KMS permissions
   */
  readonly encryptionKey?: kms.IKey;
}

/** `arn:<partition>:bedrock:<region>:<account>:model-invocation-job/*` of a stack. */
export function modelInvocationJobArns(stack: Stack): string {
  return stack.formatArn({
    service: 'bedrock',
    resource: 'model-invocation-job',
    resourceName: '*',
    arnFormat: ArnFormat.SLASH_RESOURCE_NAME,
  });
}

/** The Bedrock batch service role, trusted only by Bedrock jobs of this account and Region. */
export class BedrockServiceRole extends Construct {
  /** The role passed to `CreateModelInvocationJob`. */
  readonly role: iam.Role;

  constructor(scope: Construct, id: string, props: BedrockServiceRoleProps) {
    super(scope, id);
    const stack = Stack.of(this);
    const jobs = modelInvocationJobArns(stack);
    this.role = new iam.Role(this, 'Role', {
      description: 'Assumed by Amazon Bedrock batch inference jobs of the bedrock-batch-pipeline',
      assumedBy: new iam.ServicePrincipal('bedrock.amazonaws.com').withConditions({
        StringEquals: { 'aws:SourceAccount': stack.account },
        ArnLike: { 'aws:SourceArn': jobs },
      }),
    });
    const patterns = {
      batchInput: `${batchInputPrefix(ANY_RUN)}*`,
      retryInput: `${retryInputRoot(ANY_RUN)}*`,
      batchOutput: `${batchOutputPrefix(ANY_RUN)}*`,
    };
    const batchInput = props.workBucket.arnForObjects(patterns.batchInput);
    const retryInput = props.workBucket.arnForObjects(patterns.retryInput);
    const batchOutput = props.workBucket.arnForObjects(patterns.batchOutput);
    this.role.addToPolicy(
      new iam.PolicyStatement({
        sid: 'ReadBatchInput',
        actions: ['s3:GetObject'],
        resources: [batchInput, retryInput],
      }),
    );
    this.role.addToPolicy(
      new iam.PolicyStatement({
        sid: 'WriteBatchOutput',
        actions: ['s3:PutObject'],
        resources: [batchOutput],
      }),
    );
    this.role.addToPolicy(
      new iam.PolicyStatement({
        sid: 'ListRuns',
        actions: ['s3:ListBucket'],
        resources: [props.workBucket.bucketArn],
        conditions: { StringLike: { 's3:prefix': [`${RUNS_PREFIX}*`] } },
      }),
    );
    for (const statement of modelStatements('InvokeModels', ['bedrock:InvokeModel'], props.models)) {
      this.role.addToPolicy(statement);
    }
    if (props.encryptionKey) {
      this.role.addToPolicy(
        new iam.PolicyStatement({
          sid: 'UseKeyThroughS3',
          actions: ['kms:Decrypt', 'kms:GenerateDataKey'],
          resources: [props.encryptionKey.keyArn],
          conditions: { StringEquals: { 'kms:ViaService': `s3.${stack.region}.amazonaws.com` } },
        }),
      );
    }
    acknowledgeInlinePolicy(this.role);
    acknowledgeWildcards(this.role, {
      resources: [batchInput, retryInput, batchOutput, ...modelAccessArns(props.models)],
      reason:
        `Run ids are only known at run time: Bedrock may read ${patterns.batchInput} and ` +
        `${patterns.retryInput} (second-round jobs) and write ` +
        `${patterns.batchOutput} only; a foundation model behind an inference profile is granted with the ` +
        'Region * and limited by aws:RequestedRegion to its geography (global: any Region).',
    });
  }
}
