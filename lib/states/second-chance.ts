/**
 * The second chance: Plan retry, then "Second chance?" → Retry on demand, Retry batch jobs, or straight
 * to Collect results; any failure there falls back to No second chance (the first round's results).
 */
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import type { Construct } from 'constructs';
import { BatchJobLifecycle } from '../job-lifecycle';
import { onDemandMap } from '../on-demand-map';
import { FIRST_ROUND_PAYLOAD, RUN_ITEM } from './first-round';
import { lambdaTask } from './tasks';

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

/** The functions and limits of the second round. */
interface SecondChanceProps {
  readonly planRetry: lambda.IFunction;
  readonly submitJob: lambda.IFunction;
  readonly checkJob: lambda.IFunction;
  readonly invokeOnDemand: lambda.IFunction;
  readonly recordJob: lambda.IFunction;
  readonly maxConcurrentJobs: number;
}

/** "Plan retry", whose every path ends in `collect`. */
export function secondChance(
  scope: Construct,
  props: SecondChanceProps,
  collect: sfn.IChainable,
): sfn.TaskStateBase {
  const planRetry = lambdaTask(scope, 'Plan retry', props.planRetry, {
    payload: sfn.TaskInput.fromObject(FIRST_ROUND_PAYLOAD),
    resultPath: '$.retry',
  });
  // Without a plan the first round's results are still published: the second chance is a bonus.
  const noRetry = new sfn.Pass(scope, 'No second chance', {
    result: sfn.Result.fromObject({ mode: 'none', selected: 0, byReason: {}, items: [] }),
    resultPath: '$.retry',
  });
  planRetry.addCatch(noRetry, { errors: [sfn.Errors.ALL], resultPath: '$.retryError' });
  noRetry.next(collect);
  // Second-round items: `{ shard, part }` per on-demand part, or the batch job numbers.
  const retryOnDemand = onDemandMap(scope, {
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
      ...RUN_ITEM,
      'shard.$': '$$.Map.Item.Value.shard',
      'part.$': '$$.Map.Item.Value.part',
      round: 2,
    },
    maxConcurrency: props.maxConcurrentJobs,
  });
  retryOnDemand.addCatch(noRetry, { errors: [sfn.Errors.ALL], resultPath: '$.retryError' });
  retryOnDemand.next(collect);
  const retryJobs = new sfn.DistributedMap(scope, 'Retry batch jobs', {
    mapExecutionType: sfn.StateMachineType.STANDARD,
    itemsPath: '$.retry.items',
    itemSelector: { ...RUN_ITEM, 'shard.$': '$$.Map.Item.Value', 'part.$': '$$.Map.Item.Value', round: 2 },
    maxConcurrency: props.maxConcurrentJobs,
    resultPath: sfn.JsonPath.DISCARD,
  });
  retryJobs.itemProcessor(
    new BatchJobLifecycle(scope, 'Retry job lifecycle', {
      submitJob: props.submitJob,
      checkJob: props.checkJob,
      recordJob: props.recordJob,
      stateName: (name) => RETRY_STATE_NAMES[name] ?? `Retry: ${name}`,
    }),
  );
  retryJobs.addCatch(noRetry, { errors: [sfn.Errors.ALL], resultPath: '$.retryError' });
  retryJobs.next(collect);
  const choice = new sfn.Choice(scope, 'Second chance?')
    .when(sfn.Condition.stringEquals('$.retry.mode', 'on-demand'), retryOnDemand)
    .when(sfn.Condition.stringEquals('$.retry.mode', 'batch'), retryJobs)
    .otherwise(collect);
  planRetry.next(choice);
  return planRetry;
}
