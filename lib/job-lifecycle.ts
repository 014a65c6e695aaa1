/**
 * One batch job from submission to a final status: Submit job → Wait for job → Check job → Job finished?.
 */

import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as tasks from 'aws-cdk-lib/aws-stepfunctions-tasks';
import type { Construct } from 'constructs';
import { JOB_CAPACITY_RETRY, LAMBDA_RETRY } from './retries';

/**
 * The iteration's state with the time the task state was entered (`Timed` in lambda/core/contract/types.ts): job
 * deadlines follow the workflow's clock, which the local runner simulates.
 */
const TIMED_STATE = sfn.TaskInput.fromObject({
  'input.$': '$',
  'now.$': '$$.State.EnteredTime',
});

/** Properties of {@link BatchJobLifecycle}. */
export interface BatchJobLifecycleProps {
  readonly submitJob: lambda.IFunction;
  readonly checkJob: lambda.IFunction;
  /** Writes the iteration's `JobResult` to S3 ("Record job result"). */
  readonly recordJob: lambda.IFunction;
  /**
   * Turns each state name into the one used (names are unique in a state machine; a second lifecycle
   * needs its own).
   * @default - the names as documented ('Submit job', 'Wait for job', ...)
   */
  readonly stateName?: (name: string) => string;
}

/**
 * The Map iteration. Input: `SubmitJobInput` (lambda/core/contract/types.ts). `$.job` holds the `JobState` that
 * Submit job and Check job return; the iteration ends with a `JobResult` at `$.result`, which Record job
 * result writes to `runs/<runId>/jobs/` (the iteration's output is then `{}`: nothing per shard goes back
 * into the execution state). Check job raises
 * `JobFailedError`, `JobExpiredError`, `JobTimeoutError` or `UnknownJobStatusError`; Submit job raises
 * `JobRejectedError` (not retried) and `JobCapacityError` (retried with a capped backoff). Those errors are
 * caught here: the iteration then ends with a `FailedJob` (shard, error, and the job when one exists).
 */
export class BatchJobLifecycle extends sfn.StateMachineFragment {
  readonly startState: sfn.State;
  readonly endStates: sfn.INextable[];

  constructor(scope: Construct, id: string, props: BatchJobLifecycleProps) {
    super(scope, id);
    const name = props.stateName ?? ((n: string) => n);
    const submit = new tasks.LambdaInvoke(this, name('Submit job'), {
      lambdaFunction: props.submitJob,
      payload: TIMED_STATE,
      payloadResponseOnly: true,
      retryOnServiceExceptions: false,
      resultPath: '$.job',
    });
    submit.addRetry(LAMBDA_RETRY);
    submit.addRetry(JOB_CAPACITY_RETRY);

    const wait = new sfn.Wait(this, name('Wait for job'), {
      time: sfn.WaitTime.secondsPath('$.job.waitSeconds'),
    });
    const check = new tasks.LambdaInvoke(this, name('Check job'), {
      lambdaFunction: props.checkJob,
      payload: TIMED_STATE,
      payloadResponseOnly: true,
      retryOnServiceExceptions: false,
      resultPath: '$.job',
    });
    check.addRetry(LAMBDA_RETRY);

    const done = new sfn.Pass(this, name('Job done'), {
      parameters: {
        'shard.$': '$.shard',
        'jobArn.$': '$.job.jobArn',
        'status.$': '$.job.status',
        'counters.$': '$.job.counters',
      },
      resultPath: '$.result',
    });
    // A failure is caught inside the iteration, so one shard's failure never discards the others'
    // results: Collect publishes every row, and the run then ends failed with this shard's error.
    const submitFailed = new sfn.Pass(this, name('Submit failed'), {
      parameters: { 'shard.$': '$.shard', 'error.$': '$.error' },
      resultPath: '$.result',
    });
    const jobFailed = new sfn.Pass(this, name('Job failed'), {
      parameters: {
        'shard.$': '$.shard',
        'jobArn.$': '$.job.jobArn',
        'status.$': '$.job.status',
        'error.$': '$.error',
      },
      resultPath: '$.result',
    });
    submit.addCatch(submitFailed, { errors: [sfn.Errors.ALL], resultPath: '$.error' });
    check.addCatch(jobFailed, { errors: [sfn.Errors.ALL], resultPath: '$.error' });

    const finished = new sfn.Choice(this, name('Job finished?'))
      .when(sfn.Condition.stringEquals('$.job.outcome', 'running'), wait)
      .when(sfn.Condition.stringEquals('$.job.outcome', 'resubmit'), submit)
      .when(sfn.Condition.stringEquals('$.job.outcome', 'done'), done);

    const record = recordJobResult(this, name('Record job result'), props.recordJob);
    done.next(record);
    submitFailed.next(record);
    jobFailed.next(record);

    submit.next(wait);
    wait.next(check);
    check.next(finished);

    this.startState = submit;
    this.endStates = [record];
  }
}

/**
 * The last state of a Map iteration: writes `$.result` (with the item that names the run, round and
 * number) to S3 and replaces the state with `{}`.
 */
export function recordJobResult(scope: Construct, id: string, fn: lambda.IFunction): tasks.LambdaInvoke {
  const record = new tasks.LambdaInvoke(scope, id, {
    lambdaFunction: fn,
    payloadResponseOnly: true,
    retryOnServiceExceptions: false,
    resultPath: '$',
  });
  record.addRetry(LAMBDA_RETRY);
  return record;
}
