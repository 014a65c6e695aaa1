/**
 * Notifications: the run-outcome topic (with an optional e-mail subscription and its key), the text of
 * the run-end notifications (States.Format over the execution's state) and their SNS
 * message attributes, so a subscriber can filter on `status` and `pipeline`. The e-mail a person gets
 * reads as plain lines; nothing in it comes from the rows of the CSV.
 */
import { RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import type * as tasks from 'aws-cdk-lib/aws-stepfunctions-tasks';
import { Construct } from 'constructs';

/** Properties of {@link PipelineNotifications}. */
export interface PipelineNotificationsProps {
  /**
   * Who gets an e-mail per finished run and per alarm (the address must confirm the subscription).
   * @default - no subscription
   */
  readonly email?: string;
  /**
   * Key for the topic. Its key policy must let `cloudwatch.amazonaws.com` and `events.amazonaws.com` use it
   * (`kms:Decrypt`, `kms:GenerateDataKey`), or alarms and the end-of-run notice cannot publish; the
   * statement is added automatically to a key defined in the same app.
   * @default - a key created for the topic (the AWS managed `alias/aws/sns` cannot be used by alarms)
   */
  readonly encryptionKey?: kms.IKey;
  /**
   * What happens to a key created for the topic when the stack is deleted.
   * @default RemovalPolicy.RETAIN
   */
  readonly removalPolicy?: RemovalPolicy;
}

/** The run-outcome topic, also the destination of the alarms. */
export class PipelineNotifications extends Construct {
  readonly topic: sns.Topic;
  /** The topic's key. */
  readonly key: kms.IKey;
  private readonly ownKey: boolean;

  constructor(scope: Construct, id: string, props: PipelineNotificationsProps = {}) {
    super(scope, id);
    const account = Stack.of(this).account;
    this.ownKey = props.encryptionKey === undefined;
    this.key =
      props.encryptionKey ??
      new kms.Key(this, 'Key', {
        description: 'Encrypts the bedrock-batch-pipeline notification topic',
        enableKeyRotation: true,
        removalPolicy: props.removalPolicy ?? RemovalPolicy.RETAIN,
      });
    this.key.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'AlarmsAndEventsPublishToTopic',
        principals: [
          new iam.ServicePrincipal('cloudwatch.amazonaws.com'),
          new iam.ServicePrincipal('events.amazonaws.com'),
        ],
        actions: ['kms:Decrypt', 'kms:GenerateDataKey'],
        resources: ['*'],
      }),
    );
    this.topic = new sns.Topic(this, 'Topic', {
      displayName: 'Bedrock batch pipeline runs',
      enforceSSL: true,
      masterKey: this.key,
    });
    this.topic.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'AlarmsPublish',
        principals: [new iam.ServicePrincipal('cloudwatch.amazonaws.com')],
        actions: ['sns:Publish'],
        resources: [this.topic.topicArn],
        conditions: { StringEquals: { 'aws:SourceAccount': account } },
      }),
    );
    if (props.email) this.topic.addSubscription(new subscriptions.EmailSubscription(props.email));
  }

  /** Lets `grantee` encrypt messages for the topic with a key this construct created (no-op otherwise). */
  grantKeyToPublisher(grantee: iam.IGrantable): void {
    if (!this.ownKey) return;
    grantee.grantPrincipal.addToPrincipalPolicy(
      new iam.PolicyStatement({
        actions: ['kms:Decrypt', 'kms:GenerateDataKey'],
        resources: [this.key.keyArn],
      }),
    );
  }
}

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

const UNRECORDED_FAILURE_LINES = [
  'Bedrock batch run {} failed, and its failure report could not be written ({}).',
  'No report.json was written. Open the execution (its name is the run id) in the Step Functions console:',
  'its history has the error that failed the run. Execution: {}',
  'Re-upload the file once the cause is fixed.',
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

/**
 * The message sent when Record failure itself failed: only what the context object always has (the run id
 * is the execution name) and the error Record failure ended with, so publishing it cannot fail on a
 * missing field.
 */
export function unrecordedFailureMessage(errorPath: string): sfn.TaskInput {
  return sfn.TaskInput.fromText(
    sfn.JsonPath.format(
      UNRECORDED_FAILURE_LINES.join('\n'),
      sfn.JsonPath.stringAt('$$.Execution.Name'),
      sfn.JsonPath.stringAt(errorPath),
      sfn.JsonPath.stringAt('$$.Execution.Id'),
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
