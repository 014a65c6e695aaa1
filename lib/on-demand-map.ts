/**
 * The Maps that run shards through the Bedrock runtime API (Invoke on demand) instead of batch jobs:
 * "Run on demand" for a run below the batch minimum, "Retry on demand" for an on-demand second round.
 * Their iterations record their results where "Run batch jobs" does, so Collect results reads either
 * unchanged.
 */
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as tasks from 'aws-cdk-lib/aws-stepfunctions-tasks';
import type { Construct } from 'constructs';
import { recordJobResult } from './job-lifecycle';
import { LAMBDA_RETRY } from './retries';

/** State names of one on-demand Map (unique in the state machine). */
interface OnDemandMapNames {
  readonly map: string;
  readonly invoke: string;
  readonly failed: string;
  readonly record: string;
}

/** Properties of {@link onDemandMap}. */
interface OnDemandMapProps {
  readonly invokeOnDemand: lambda.IFunction;
  readonly recordJob: lambda.IFunction;
  readonly names: OnDemandMapNames;
  readonly itemsPath: string;
  /** @default - each item as is */
  readonly itemSelector?: Record<string, unknown>;
  readonly maxConcurrency: number;
}

/**
 * A Map whose iteration is one Invoke on demand task. An iteration whose invocation fails
 * (`JobRejectedError`, or a Lambda error that outlived the retries) ends with a `FailedJob`, as a batch
 * job's does: Collect publishes its rows and the run ends failed. Every iteration ends with a Record job
 * result task; the Map's own results are discarded.
 */
export function onDemandMap(scope: Construct, props: OnDemandMapProps): sfn.Map {
  const invoke = new tasks.LambdaInvoke(scope, props.names.invoke, {
    lambdaFunction: props.invokeOnDemand,
    payloadResponseOnly: true,
    retryOnServiceExceptions: false,
    resultPath: '$.result',
  });
  invoke.addRetry(LAMBDA_RETRY);
  const failed = new sfn.Pass(scope, props.names.failed, {
    parameters: { 'shard.$': '$.shard', 'error.$': '$.error' },
    resultPath: '$.result',
  });
  invoke.addCatch(failed, { errors: [sfn.Errors.ALL], resultPath: '$.error' });
  const map = new sfn.Map(scope, props.names.map, {
    itemsPath: props.itemsPath,
    ...(props.itemSelector === undefined ? {} : { itemSelector: props.itemSelector }),
    maxConcurrency: props.maxConcurrency,
    resultPath: sfn.JsonPath.DISCARD,
  });
  const record = recordJobResult(scope, props.names.record, props.recordJob);
  invoke.next(record);
  failed.next(record);
  map.itemProcessor(invoke);
  return map;
}
