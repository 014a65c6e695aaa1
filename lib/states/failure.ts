/**
 * The failure path: Record failure → Notify failure → Run failed, and, when Record failure itself fails,
 * Notify unrecorded failure → Run failed unrecorded.
 */
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import type * as sns from 'aws-cdk-lib/aws-sns';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as tasks from 'aws-cdk-lib/aws-stepfunctions-tasks';
import type { Construct } from 'constructs';
import {
  failureMessage,
  NOTIFICATION_SUBJECTS,
  notificationAttributes,
  unrecordedFailureMessage,
} from '../notifications';
import { lambdaTask, NOTIFY_RETRY } from './tasks';

/** The failure path's first state, "Record failure", which every catch of the run leads to. */
export function failurePath(
  scope: Construct,
  recordFailureFn: lambda.IFunction,
  topic: sns.ITopic,
): sfn.TaskStateBase {
  const recordFailure = lambdaTask(scope, 'Record failure', recordFailureFn, { resultPath: '$.failure' });
  const notifyFailure = new tasks.SnsPublish(scope, 'Notify failure', {
    topic,
    subject: NOTIFICATION_SUBJECTS.failed,
    message: failureMessage(),
    messageAttributes: notificationAttributes('failed'),
    resultPath: sfn.JsonPath.DISCARD,
  });
  notifyFailure.addRetry(NOTIFY_RETRY);
  const runFailed = new sfn.Fail(scope, 'Run failed', {
    errorPath: '$.failure.code',
    causePath: '$.failure.cause',
  });
  notifyFailure.addCatch(runFailed, { errors: [sfn.Errors.ALL], resultPath: '$.notifyError' });
  recordFailure.next(notifyFailure).next(runFailed);

  // Record failure failing must still tell someone: a minimal message from what is always there.
  const notifyUnrecorded = new tasks.SnsPublish(scope, 'Notify unrecorded failure', {
    topic,
    subject: NOTIFICATION_SUBJECTS.failed,
    message: unrecordedFailureMessage('$.recordError.Error'),
    messageAttributes: { status: { value: 'failed' } },
    resultPath: sfn.JsonPath.DISCARD,
  });
  notifyUnrecorded.addRetry(NOTIFY_RETRY);
  const failedUnrecorded = new sfn.Fail(scope, 'Run failed unrecorded', {
    error: 'FAILURE_NOT_RECORDED',
    cause: 'The run failed and Record failure could not write its report; see the execution history.',
  });
  notifyUnrecorded.addCatch(failedUnrecorded, { errors: [sfn.Errors.ALL], resultPath: '$.notifyError' });
  notifyUnrecorded.next(failedUnrecorded);
  recordFailure.addCatch(notifyUnrecorded, { errors: [sfn.Errors.ALL], resultPath: '$.recordError' });
  return recordFailure;
}
