/**
 * The pipeline state machine (JSONPath; the state names are the contract in docs/design.md).
 */
import { Aws, type Duration, Fn, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import type * as sns from 'aws-cdk-lib/aws-sns';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as tasks from 'aws-cdk-lib/aws-stepfunctions-tasks';
import { Construct } from 'constructs';
import { BelowMinRecordsError } from '../lambda/core/errors';
import { BatchJobLifecycle } from './job-lifecycle';
import { acknowledgeInlinePolicy, acknowledgeWildcards } from './nag';
import {
  failureMessage,
  NOTIFICATION_SUBJECTS,
  notificationAttributes,
  successMessage,
  unrecordedFailureMessage,
} from './notifications';
import { onDemandMap } from './on-demand-map';
import { LAMBDA_RETRY } from './retries';

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
export const VENDED_STATES_LOGS_PREFIX = '/aws/vendedlogs/states/';

/**
 * `/aws/vendedlogs/states/<stack name>-<stack id's UUID>`: under the prefix the Step Functions log delivery
 * expects, and unique per stack creation, so a log group retained from a deleted stack never blocks a new
 * one of the same name.
 */
export function stateMachineLogGroupName(stackName: string): string {
  return `${VENDED_STATES_LOGS_PREFIX}${stackName}-${Fn.select(2, Fn.split('/', Aws.STACK_ID))}`;
}

/** The second round's batch lifecycle states, named apart from the first round's. */
const RETRY_STATE_NAMES: Readonly<Record<string, string>> = {
  'Submit job': 'Submit retry job',
  'Wait for job': 'Wait for retry job',
  'Check job': 'Check retry job',
  'Job finished?': 'Retry job finished?',
  'Job done': 'Retry job done',
  'Submit failed': 'Retry submit failed',
  'Job failed': 'Retry job failed',
  'Record job result': 'Record retry job result',
};

/** The run's deadline and start, for Check job (`SubmitJobInput.deadline`, `runStartedAt`). */
const DEADLINE_ITEM = {
  'deadline.$': '$.prepared.deadline',
  'runStartedAt.$': '$$.Execution.StartTime',
};

const CATCH_ALL: sfn.CatchProps = { errors: [sfn.Errors.ALL], resultPath: '$.error' };
const NOTIFY_RETRY: sfn.RetryProps = { errors: [sfn.Errors.TASKS_FAILED], maxAttempts: 3 };

/** The state machine: Prepare input → Run batch jobs → Collect results → Notify, or Record failure → Fail. */
export class PipelineWorkflow extends Construct {
  readonly stateMachine: sfn.StateMachine;
  readonly logGroup: logs.LogGroup;

  constructor(scope: Construct, id: string, props: PipelineWorkflowProps) {
    super(scope, id);
    const lambdaTask = (taskId: string, fn: lambda.IFunction, extra: Partial<tasks.LambdaInvokeProps>) => {
      const task = new tasks.LambdaInvoke(this, taskId, {
        lambdaFunction: fn,
        payloadResponseOnly: true,
        retryOnServiceExceptions: false,
        ...extra,
      });
      task.addRetry(LAMBDA_RETRY);
      return task;
    };

    const recordFailure = lambdaTask('Record failure', props.recordFailure, { resultPath: '$.failure' });
    const notifyFailure = new tasks.SnsPublish(this, 'Notify failure', {
      topic: props.topic,
      subject: NOTIFICATION_SUBJECTS.failed,
      message: failureMessage(),
      messageAttributes: notificationAttributes('failed'),
      resultPath: sfn.JsonPath.DISCARD,
    });
    notifyFailure.addRetry(NOTIFY_RETRY);
    const runFailed = new sfn.Fail(this, 'Run failed', {
      errorPath: '$.failure.code',
      causePath: '$.failure.cause',
    });
    notifyFailure.addCatch(runFailed, { errors: [sfn.Errors.ALL], resultPath: '$.notifyError' });
    recordFailure.next(notifyFailure).next(runFailed);

    // Record failure failing must still tell someone: a minimal message from what is always there.
    const notifyUnrecorded = new tasks.SnsPublish(this, 'Notify unrecorded failure', {
      topic: props.topic,
      subject: NOTIFICATION_SUBJECTS.failed,
      message: unrecordedFailureMessage('$.recordError.Error'),
      messageAttributes: { status: { value: 'failed' } },
      resultPath: sfn.JsonPath.DISCARD,
    });
    notifyUnrecorded.addRetry(NOTIFY_RETRY);
    const failedUnrecorded = new sfn.Fail(this, 'Run failed unrecorded', {
      error: 'FAILURE_NOT_RECORDED',
      cause: 'The run failed and Record failure could not write its report; see the execution history.',
    });
    notifyUnrecorded.addCatch(failedUnrecorded, { errors: [sfn.Errors.ALL], resultPath: '$.notifyError' });
    notifyUnrecorded.next(failedUnrecorded);
    recordFailure.addCatch(notifyUnrecorded, { errors: [sfn.Errors.ALL], resultPath: '$.recordError' });

    const prepare = lambdaTask('Prepare input', props.prepareInput, { resultPath: '$.prepared' });
    prepare.addCatch(recordFailure, CATCH_ALL);

    const tooFew = new sfn.Pass(this, 'Too few records', {
      parameters: {
        Error: BelowMinRecordsError.name,
        Cause: sfn.JsonPath.format(
          '{} valid records, fewer than the {} a batch job needs',
          sfn.JsonPath.stringAt('$.prepared.records'),
          sfn.JsonPath.stringAt('$.prepared.minRecordsPerJob'),
        ),
      },
      resultPath: '$.error',
    });
    tooFew.next(recordFailure);

    // A Distributed Map runs each shard's job lifecycle as a child execution with its own history, so a
    // run with hundreds of week-long jobs stays far below the 25,000-event limit of one execution. Its
    // items are the shard numbers only and each iteration writes its result to S3 (Record job result), so
    // the execution state grows by a few bytes per shard (docs/lifecycle.md, "State size").
    const runItem = {
      'runId.$': '$.prepared.runId',
      'pipeline.$': '$.prepared.pipeline',
      'modelId.$': '$.prepared.modelId',
      'invocationType.$': '$.prepared.invocationType',
      'timeoutHours.$': '$.prepared.timeoutHours',
    };
    const itemSelector = { ...runItem, 'shard.$': '$$.Map.Item.Value' };
    const runJobs = new sfn.DistributedMap(this, 'Run batch jobs', {
      mapExecutionType: sfn.StateMachineType.STANDARD,
      itemsPath: '$.prepared.shardNumbers',
      // First-round jobs weigh the pipeline's deadline (Check job; lambda/core/deadline).
      itemSelector: { ...itemSelector, ...DEADLINE_ITEM },
      maxConcurrency: props.maxConcurrentJobs,
      resultPath: sfn.JsonPath.DISCARD,
    });
    runJobs.itemProcessor(
      new BatchJobLifecycle(this, 'Job lifecycle', {
        submitJob: props.submitJob,
        checkJob: props.checkJob,
        recordJob: props.recordJob,
      }),
    );
    runJobs.addCatch(recordFailure, CATCH_ALL);
    const runOnDemand = onDemandMap(this, {
      invokeOnDemand: props.invokeOnDemand,
      recordJob: props.recordJob,
      names: {
        map: 'Run on demand',
        invoke: 'Invoke on demand',
        failed: 'On-demand failed',
        record: 'Record on-demand result',
      },
      itemsPath: '$.prepared.shardNumbers',
      itemSelector,
      maxConcurrency: props.maxConcurrentJobs,
    });
    runOnDemand.addCatch(recordFailure, CATCH_ALL);

    // What Plan retry and Collect results both read; they read the shards and the jobs' results from S3.
    const firstRound = {
      'runId.$': '$.runId',
      'pipeline.$': '$.pipeline',
      'source.$': '$.source',
      'prepared.$': '$.prepared',
    };
    const collect = lambdaTask('Collect results', props.collectResults, {
      payload: sfn.TaskInput.fromObject({
        ...firstRound,
        retry: {
          'mode.$': '$.retry.mode',
          'selected.$': '$.retry.selected',
          'byReason.$': '$.retry.byReason',
        },
        'now.$': '$$.State.EnteredTime',
        'runStartedAt.$': '$$.Execution.StartTime',
      }),
      resultPath: '$.results',
    });
    collect.addCatch(recordFailure, CATCH_ALL);

    const planRetry = lambdaTask('Plan retry', props.planRetry, {
      payload: sfn.TaskInput.fromObject(firstRound),
      resultPath: '$.retry',
    });
    // Without a plan the first round's results are still published: the second chance is a bonus.
    const noRetry = new sfn.Pass(this, 'No second chance', {
      result: sfn.Result.fromObject({ mode: 'none', selected: 0, byReason: {}, items: [] }),
      resultPath: '$.retry',
    });
    planRetry.addCatch(noRetry, { errors: [sfn.Errors.ALL], resultPath: '$.retryError' });
    noRetry.next(collect);
    // Second-round items: `{ shard, part }` per on-demand part, or the batch job numbers.
    const retryOnDemand = onDemandMap(this, {
      invokeOnDemand: props.invokeOnDemand,
      recordJob: props.recordJob,
      names: {
        map: 'Retry on demand',
        invoke: 'Invoke on demand again',
        failed: 'Retry failed',
        record: 'Record on-demand retry result',
      },
      itemsPath: '$.retry.items',
      itemSelector: {
        ...runItem,
        'shard.$': '$$.Map.Item.Value.shard',
        'part.$': '$$.Map.Item.Value.part',
        round: 2,
      },
      maxConcurrency: props.maxConcurrentJobs,
    });
    retryOnDemand.addCatch(noRetry, { errors: [sfn.Errors.ALL], resultPath: '$.retryError' });
    retryOnDemand.next(collect);
    const retryJobs = new sfn.DistributedMap(this, 'Retry batch jobs', {
      mapExecutionType: sfn.StateMachineType.STANDARD,
      itemsPath: '$.retry.items',
      itemSelector: { ...runItem, 'shard.$': '$$.Map.Item.Value', 'part.$': '$$.Map.Item.Value', round: 2 },
      maxConcurrency: props.maxConcurrentJobs,
      resultPath: sfn.JsonPath.DISCARD,
    });
    retryJobs.itemProcessor(
      new BatchJobLifecycle(this, 'Retry job lifecycle', {
        submitJob: props.submitJob,
        checkJob: props.checkJob,
        recordJob: props.recordJob,
        stateName: (name) => RETRY_STATE_NAMES[name] ?? `Retry: ${name}`,
      }),
    );
    retryJobs.addCatch(noRetry, { errors: [sfn.Errors.ALL], resultPath: '$.retryError' });
    retryJobs.next(collect);
    const secondChance = new sfn.Choice(this, 'Second chance?')
      .when(sfn.Condition.stringEquals('$.retry.mode', 'on-demand'), retryOnDemand)
      .when(sfn.Condition.stringEquals('$.retry.mode', 'batch'), retryJobs)
      .otherwise(collect);
    planRetry.next(secondChance);

    const jobsFailed = new sfn.Pass(this, 'Jobs failed', {
      comment: 'Some shards failed: their rows are in the results as missing; the run ends failed',
      inputPath: '$.results.failure',
      resultPath: '$.error',
    });
    jobsFailed.next(recordFailure);

    const succeeded = new sfn.Succeed(this, 'Run succeeded');
    const notifySuccess = new tasks.SnsPublish(this, 'Notify success', {
      topic: props.topic,
      subject: NOTIFICATION_SUBJECTS.succeeded,
      message: successMessage(),
      messageAttributes: notificationAttributes('succeeded'),
      resultPath: sfn.JsonPath.DISCARD,
    });
    notifySuccess.addRetry(NOTIFY_RETRY);
    notifySuccess.addCatch(succeeded, { errors: [sfn.Errors.ALL], resultPath: '$.notifyError' });

    const enough = new sfn.Choice(this, 'Enough records?')
      .when(sfn.Condition.stringEquals('$.prepared.mode', 'on-demand'), runOnDemand)
      .when(sfn.Condition.stringEquals('$.prepared.mode', 'too-few'), tooFew)
      .otherwise(runJobs);
    const anyFailed = new sfn.Choice(this, 'Any job failed?')
      .when(sfn.Condition.isPresent('$.results.failure'), jobsFailed)
      .otherwise(notifySuccess);
    runJobs.next(planRetry);
    runOnDemand.next(planRetry);
    collect.next(anyFailed);
    notifySuccess.next(succeeded);

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
