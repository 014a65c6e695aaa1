/**
 * The first round: Prepare input, then "Enough records?" → Run batch jobs, Run on demand, or Too few
 * records (→ Record failure).
 */
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import type { Construct } from 'constructs';
import { BelowMinRecordsError } from '../../lambda/core/contract/errors';
import { BatchJobLifecycle } from '../job-lifecycle';
import { onDemandMap } from '../on-demand-map';
import { CATCH_ALL, lambdaTask } from './tasks';

/** What every Map iteration of a run carries besides its item (shard, or retry job and part). */
export const RUN_ITEM = {
  'runId.$': '$.prepared.runId',
  'pipeline.$': '$.prepared.pipeline',
  'modelId.$': '$.prepared.modelId',
  'invocationType.$': '$.prepared.invocationType',
  'timeoutHours.$': '$.prepared.timeoutHours',
};

/** What Plan retry and Collect results both read; they read the shards and the jobs' results from S3. */
export const FIRST_ROUND_PAYLOAD = {
  'runId.$': '$.runId',
  'pipeline.$': '$.pipeline',
  'source.$': '$.source',
  'prepared.$': '$.prepared',
};

/** The functions and limits of the first round. */
interface FirstRoundProps {
  readonly prepareInput: lambda.IFunction;
  readonly submitJob: lambda.IFunction;
  readonly checkJob: lambda.IFunction;
  readonly invokeOnDemand: lambda.IFunction;
  readonly recordJob: lambda.IFunction;
  readonly maxConcurrentJobs: number;
}

/** The first round's states; `enough` still needs its branches chained to what follows. */
interface FirstRound {
  readonly prepare: sfn.TaskStateBase;
  readonly tooFew: sfn.Pass;
  readonly runJobs: sfn.DistributedMap;
  readonly runOnDemand: sfn.Map;
}

/** Prepare input, Too few records and the two first-round Maps; each catch leads to `recordFailure`. */
export function firstRound(
  scope: Construct,
  props: FirstRoundProps,
  recordFailure: sfn.IChainable,
): FirstRound {
  const prepare = lambdaTask(scope, 'Prepare input', props.prepareInput, { resultPath: '$.prepared' });
  prepare.addCatch(recordFailure, CATCH_ALL);

  const tooFew = new sfn.Pass(scope, 'Too few records', {
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
  const itemSelector = { ...RUN_ITEM, 'shard.$': '$$.Map.Item.Value' };
  // First-round jobs weigh the pipeline's deadline (Check job; lambda/core/deadline).
  const deadlineItem = { 'deadline.$': '$.prepared.deadline', 'runStartedAt.$': '$$.Execution.StartTime' };
  const runJobs = new sfn.DistributedMap(scope, 'Run batch jobs', {
    mapExecutionType: sfn.StateMachineType.STANDARD,
    itemsPath: '$.prepared.shardNumbers',
    itemSelector: { ...itemSelector, ...deadlineItem },
    maxConcurrency: props.maxConcurrentJobs,
    resultPath: sfn.JsonPath.DISCARD,
  });
  runJobs.itemProcessor(
    new BatchJobLifecycle(scope, 'Job lifecycle', {
      submitJob: props.submitJob,
      checkJob: props.checkJob,
      recordJob: props.recordJob,
    }),
  );
  runJobs.addCatch(recordFailure, CATCH_ALL);
  const runOnDemand = onDemandMap(scope, {
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
  return { prepare, tooFew, runJobs, runOnDemand };
}
