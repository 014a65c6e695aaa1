/**
 * The Maps that run shards through the Bedrock runtime API (Invoke on demand) instead of batch jobs:
 * "Run on demand" for a run below the batch minimum, "Retry on demand" for an on-demand second round.
 * Their items and results are those of "Run batch jobs", so Collect results reads either unchanged.
 */
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as tasks from 'aws-cdk-lib/aws-stepfunctions-tasks';
import type { Construct } from 'constructs';
import { LAMBDA_RETRY } from './retries';

/** State names of one on-demand Map (unique in the state machine). */
export interface OnDemandMapNames {
  readonly map: string;
  readonly invoke: string;
  readonly failed: string;
}

/** Properties of {@link onDemandMap}. */
export interface OnDemandMapProps {
  readonly invokeOnDemand: lambda.IFunction;
  readonly names: OnDemandMapNames;
  readonly itemsPath: string;
  /** @default - each item as is */
  readonly itemSelector?: Record<string, unknown>;
  readonly maxConcurrency: number;
  readonly resultPath: string;
}

/**
 * A Map whose iteration is one Invoke on demand task. An iteration whose invocation fails
 * (`JobRejectedError`, or a Lambda error that outlived the retries) ends with a `FailedJob`, as a batch
 * job's does: Collect publishes its rows and the run ends failed.
 */
export function onDemandMap(scope: Construct, props: OnDemandMapProps): sfn.Map {
  const invoke = new tasks.LambdaInvoke(scope, props.names.invoke, {
    lambdaFunction: props.invokeOnDemand,
    payloadResponseOnly: true,
    retryOnServiceExceptions: false,
  });
  invoke.addRetry(LAMBDA_RETRY);
  const failed = new sfn.Pass(scope, props.names.failed, {
    parameters: { 'shard.$': '$.shard.shard', 'error.$': '$.error' },
  });
  invoke.addCatch(failed, { errors: [sfn.Errors.ALL], resultPath: '$.error' });
  const map = new sfn.Map(scope, props.names.map, {
    itemsPath: props.itemsPath,
    ...(props.itemSelector === undefined ? {} : { itemSelector: props.itemSelector }),
    maxConcurrency: props.maxConcurrency,
    resultPath: props.resultPath,
  });
  map.itemProcessor(invoke);
  return map;
}
