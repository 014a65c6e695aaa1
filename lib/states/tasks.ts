/**
 * What the workflow's states share: the Lambda task shape, the catch-all and the notify retry.
 */
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as tasks from 'aws-cdk-lib/aws-stepfunctions-tasks';
import type { Construct } from 'constructs';
import { LAMBDA_RETRY } from '../retries';

/** Catches every error into `$.error` (what Record failure reads). */
export const CATCH_ALL: sfn.CatchProps = { errors: [sfn.Errors.ALL], resultPath: '$.error' };

/** Retries a notification whose publish failed. */
export const NOTIFY_RETRY: sfn.RetryProps = { errors: [sfn.Errors.TASKS_FAILED], maxAttempts: 3 };

/** A task invoking `fn` with the payload as its result, retried on Lambda service errors. */
export function lambdaTask(
  scope: Construct,
  taskId: string,
  fn: lambda.IFunction,
  extra: Partial<tasks.LambdaInvokeProps>,
): tasks.LambdaInvoke {
  const task = new tasks.LambdaInvoke(scope, taskId, {
    lambdaFunction: fn,
    payloadResponseOnly: true,
    retryOnServiceExceptions: false,
    ...extra,
  });
  task.addRetry(LAMBDA_RETRY);
  return task;
}
