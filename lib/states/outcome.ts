/**
 * The outcome: Collect results, then "Any job failed?" → Jobs failed (→ Record failure), or Notify
 * success → Run succeeded.
 */
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import type * as sns from 'aws-cdk-lib/aws-sns';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as tasks from 'aws-cdk-lib/aws-stepfunctions-tasks';
import type { Construct } from 'constructs';
import { NOTIFICATION_SUBJECTS, notificationAttributes, successMessage } from '../notifications';
import { FIRST_ROUND_PAYLOAD } from './first-round';
import { CATCH_ALL, lambdaTask, NOTIFY_RETRY } from './tasks';

/** "Collect results", whose every path ends the run. */
export function outcome(
  scope: Construct,
  collectResults: lambda.IFunction,
  topic: sns.ITopic,
  recordFailure: sfn.IChainable,
): sfn.TaskStateBase {
  const collect = lambdaTask(scope, 'Collect results', collectResults, {
    payload: sfn.TaskInput.fromObject({
      ...FIRST_ROUND_PAYLOAD,
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

  const jobsFailed = new sfn.Pass(scope, 'Jobs failed', {
    comment: 'Some shards failed: their rows are in the results as missing; the run ends failed',
    inputPath: '$.results.failure',
    resultPath: '$.error',
  });
  jobsFailed.next(recordFailure);

  const succeeded = new sfn.Succeed(scope, 'Run succeeded');
  const notifySuccess = new tasks.SnsPublish(scope, 'Notify success', {
    topic,
    subject: NOTIFICATION_SUBJECTS.succeeded,
    message: successMessage(),
    messageAttributes: notificationAttributes('succeeded'),
    resultPath: sfn.JsonPath.DISCARD,
  });
  notifySuccess.addRetry(NOTIFY_RETRY);
  notifySuccess.addCatch(succeeded, { errors: [sfn.Errors.ALL], resultPath: '$.notifyError' });
  const anyFailed = new sfn.Choice(scope, 'Any job failed?')
    .when(sfn.Condition.isPresent('$.results.failure'), jobsFailed)
    .otherwise(notifySuccess);
  collect.next(anyFailed);
  notifySuccess.next(succeeded);
  return collect;
}
