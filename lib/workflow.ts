/**
 * The pipeline state machine (JSONPath; the state names are the contract in docs/design.md).
 */
import { Aws, type Duration, Fn, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import type * as sns from 'aws-cdk-lib/aws-sns';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { acknowledgeInlinePolicy, acknowledgeWildcards } from './nag';
import { failurePath } from './states/failure';
import { firstRound } from './states/first-round';
import { outcome } from './states/outcome';
import { secondChance } from './states/second-chance';

/** Properties of {@link PipelineWorkflow}. */
export interface PipelineWorkflowProps {
  readonly prepareInput: lambda.IFunction;
  readonly submitJob: lambda.IFunction;
  readonly checkJob: lambda.IFunction;
  readonly collectResults: lambda.IFunction;
  readonly recordFailure: lambda.IFunction;
  /** Runs a shard below the batch minimum through the runtime API ("Run on demand"). */
  readonly invokeOnDemand: lambda.IFunction;
  /** Plans the second chance after the first round ("Plan retry"). */
  readonly planRetry: lambda.IFunction;
  /** Writes each Map iteration's result to S3 ("Record job result" and the other Maps' record states). */
  readonly recordJob: lambda.IFunction;
  /** Where success and failure notifications go. */
  readonly topic: sns.ITopic;
  /** The Map's MaxConcurrency: batch jobs of one run in flight at once. */
  readonly maxConcurrentJobs: number;
  /** The execution timeout; must exceed the longest job. */
  readonly timeout: Duration;
  /** @default logs.RetentionDays.ONE_YEAR */
  readonly logRetention?: logs.RetentionDays;
  /** @default RemovalPolicy.RETAIN */
  readonly removalPolicy?: RemovalPolicy;
}

/** Where Step Functions vends its logs: CloudWatch Logs resource policies for it cover this prefix. */
const VENDED_STATES_LOGS_PREFIX = '/aws/vendedlogs/states/';

/**
 * `/aws/vendedlogs/states/<stack name>-<stack id's UUID>`: under the prefix the Step Functions log delivery
 * expects, and unique per stack creation, so a log group retained from a deleted stack never blocks a new
 * one of the same name.
 */
function stateMachineLogGroupName(stackName: string): string {
  return `${VENDED_STATES_LOGS_PREFIX}${stackName}-${Fn.select(2, Fn.split('/', Aws.STACK_ID))}`;
}

/** The state machine: Prepare input → Run batch jobs → Collect results → Notify, or Record failure → Fail. */
export class PipelineWorkflow extends Construct {
  readonly stateMachine: sfn.StateMachine;
  readonly logGroup: logs.LogGroup;

  constructor(scope: Construct, id: string, props: PipelineWorkflowProps) {
    super(scope, id);
    const recordFailure = failurePath(this, props.recordFailure, props.topic);
    const first = firstRound(this, props, recordFailure);
    const collect = outcome(this, props.collectResults, props.topic, recordFailure);
    const planRetry = secondChance(this, props, collect);
    const enough = new sfn.Choice(this, 'Enough records?')
      .when(sfn.Condition.stringEquals('$.prepared.mode', 'on-demand'), first.runOnDemand)
      .when(sfn.Condition.stringEquals('$.prepared.mode', 'too-few'), first.tooFew)
      .otherwise(first.runJobs);
    first.runJobs.next(planRetry);
    first.runOnDemand.next(planRetry);
    const prepare = first.prepare;

    const removalPolicy = props.removalPolicy ?? RemovalPolicy.RETAIN;
    this.logGroup = new logs.LogGroup(this, 'Logs', {
      logGroupName: stateMachineLogGroupName(Stack.of(this).stackName),
      retention: props.logRetention ?? logs.RetentionDays.ONE_YEAR,
      removalPolicy,
    });
    Validations.of(this.logGroup).acknowledge({
      id: 'HIPAA.Security-CloudWatchLogGroupEncrypted',
      reason:
        'Execution data is excluded from the logs (includeExecutionData: false); CloudWatch Logs encrypts at rest.',
    });
    this.stateMachine = new sfn.StateMachine(this, 'StateMachine', {
      comment: 'Runs one CSV through Amazon Bedrock batch inference',
      definitionBody: sfn.DefinitionBody.fromChainable(prepare.next(enough)),
      timeout: props.timeout,
      tracingEnabled: true,
      logs: { destination: this.logGroup, level: sfn.LogLevel.ALL, includeExecutionData: false },
    });
    acknowledgeInlinePolicy(this.stateMachine.role);
    acknowledgeWildcards(this.stateMachine.role, {
      resources: [
        '*',
        ...[
          props.prepareInput,
          props.submitJob,
          props.checkJob,
          props.collectResults,
          props.recordFailure,
          props.invokeOnDemand,
          props.planRetry,
          props.recordJob,
        ].map((fn) => `${fn.functionArn}:*`),
      ],
      reason:
        'CDK grants invoke on every version of each pipeline function (<arn>:*); X-Ray and CloudWatch Logs ' +
        'delivery actions support no resource-level permissions.',
    });
    const mapPolicy = this.stateMachine.node.tryFindChild('DistributedMapPolicy');
    if (mapPolicy instanceof iam.Policy) {
      acknowledgeInlinePolicy(mapPolicy);
      const statements = (mapPolicy.document.toJSON() as { Statement: { Resource: string | string[] }[] })
        .Statement;
      acknowledgeWildcards(mapPolicy, {
        resources: statements.flatMap((statement) => statement.Resource),
        reason:
          'The Distributed Map starts, describes and stops child executions of this state machine; their ' +
          'names exist only at run time (<state machine>:<run>/<child>).',
      });
    }
  }
}
