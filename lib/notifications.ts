/**
 * The text of the run-end notifications (States.Format over the execution's state) and their SNS
 * message attributes, so a subscriber can filter on `status` and `pipeline`. The e-mail a person gets
 * reads as plain lines; nothing in it comes from the rows of the CSV.
 */
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import type * as tasks from 'aws-cdk-lib/aws-stepfunctions-tasks';

/** The subject lines of the two notifications. */
export const NOTIFICATION_SUBJECTS = {
  succeeded: 'Bedrock batch run succeeded',
  failed: 'Bedrock batch run failed',
} as const;

const SUCCESS_LINES = [
  'Bedrock batch run {} succeeded.',
  'Input: s3://{}/{}',
  'Pipeline: {}',
  'Rows: {} in; {} ok, {} error, {} rejected, {} missing',
  'Tokens: {} in, {} out',
  'Batch cost (USD, null when the model has no known price): {}',
  'Results: s3://{}/{}',
];

const FAILURE_LINES = [
  'Bedrock batch run {} failed.',
  'Input: s3://{}/{}',
  'Pipeline: {}',
  'Code: {}',
  'Reason: {}',
  'What to do: {}',
  'Report: s3://{}/{}',
];

const source = [sfn.JsonPath.stringAt('$.source.bucket'), sfn.JsonPath.stringAt('$.source.key')];

/** The success message: run id, input, counts, tokens, batch cost, and where the results are. */
export function successMessage(): sfn.TaskInput {
  const counts = ['input', 'ok', 'error', 'rejected', 'missing'].map((name) =>
    sfn.JsonPath.stringAt(`$.results.counts.${name}`),
  );
  return sfn.TaskInput.fromText(
    sfn.JsonPath.format(
      SUCCESS_LINES.join('\n'),
      sfn.JsonPath.stringAt('$.runId'),
      ...source,
      sfn.JsonPath.stringAt('$.pipeline'),
      ...counts,
      sfn.JsonPath.stringAt('$.results.tokens.input'),
      sfn.JsonPath.stringAt('$.results.tokens.output'),
      sfn.JsonPath.stringAt('$.results.cost.batchUsd'),
      sfn.JsonPath.stringAt('$.results.resultsBucket'),
      sfn.JsonPath.stringAt('$.results.resultsPrefix'),
    ),
  );
}

/** The failure message: run id, input, the code, the message, what to do, and where report.json is. */
export function failureMessage(): sfn.TaskInput {
  return sfn.TaskInput.fromText(
    sfn.JsonPath.format(
      FAILURE_LINES.join('\n'),
      sfn.JsonPath.stringAt('$.runId'),
      ...source,
      sfn.JsonPath.stringAt('$.pipeline'),
      sfn.JsonPath.stringAt('$.failure.code'),
      sfn.JsonPath.stringAt('$.failure.message'),
      sfn.JsonPath.stringAt('$.failure.whatToDo'),
      sfn.JsonPath.stringAt('$.failure.reportBucket'),
      sfn.JsonPath.stringAt('$.failure.reportKey'),
    ),
  );
}

/** The `status` (succeeded or failed) and `pipeline` message attributes. */
export function notificationAttributes(
  status: 'succeeded' | 'failed',
): Record<string, tasks.MessageAttribute> {
  return {
    status: { value: status },
    pipeline: { value: sfn.JsonPath.stringAt('$.pipeline') },
  };
}
