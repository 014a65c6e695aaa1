/**
 * The trigger: EventBridge "Object Created" for `inbox/**.csv` (and .xlsx, .jsonl, .parquet) of the InputBucket → SQS (+ DLQ) → Start run.
 */
import { Duration, Validations } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { INPUT_EXTENSIONS } from '../lambda/core/input/format';

/** Properties of {@link InboxTrigger}. */
export interface InboxTriggerProps {
  /** The bucket analysts drop files into; it must send events to EventBridge. */
  readonly inputBucket: s3.IBucket;
  /** The Start run function: consumes the queue, reports partial batch failures. */
  readonly startRun: lambda.IFunction;
  /**
   * Deliveries of one message before it moves to the dead-letter queue.
   * @default 5
   */
  readonly maxReceiveCount?: number;
}

/**
 * Key suffixes that start a run, matched in any letter case (`.csv`, `.xlsx`, `.xlsm`, `.xls`, `.jsonl`,
 * `.parquet`: input/format.ts). One spelling per pattern would take 200 wildcards, past EventBridge's
 * 2,048-character pattern limit, so the rule matches the suffix ignoring case and Start run ignores keys
 * outside `inbox/<pipeline>/` (parseInboxKey), as it always did for the bucket's other keys.
 */
export const INBOX_KEY_SUFFIXES: readonly string[] = Object.keys(INPUT_EXTENSIONS);

/** EventBridge rule, queue and dead-letter queue in front of Start run. */
export class InboxTrigger extends Construct {
  readonly rule: events.Rule;
  readonly queue: sqs.Queue;
  readonly deadLetterQueue: sqs.Queue;

  constructor(scope: Construct, id: string, props: InboxTriggerProps) {
    super(scope, id);
    this.deadLetterQueue = new sqs.Queue(this, 'DeadLetterQueue', {
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    Validations.of(this.deadLetterQueue).acknowledge({
      id: 'AwsSolutions-SQS3',
      reason: 'This is the dead-letter queue of the trigger queue.',
    });
    this.queue = new sqs.Queue(this, 'Queue', {
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      visibilityTimeout: Duration.minutes(3),
      retentionPeriod: Duration.days(4),
      deadLetterQueue: { queue: this.deadLetterQueue, maxReceiveCount: props.maxReceiveCount ?? 5 },
    });
    this.rule = new events.Rule(this, 'ObjectCreated', {
      description: 'An input file was dropped into the input bucket',
      eventPattern: {
        source: ['aws.s3'],
        detailType: ['Object Created'],
        detail: {
          bucket: { name: [props.inputBucket.bucketName] },
          object: {
            key: events.Match.anyOf(...INBOX_KEY_SUFFIXES.map((s) => events.Match.suffixEqualsIgnoreCase(s))),
          },
        },
      },
    });
    this.rule.addTarget(new targets.SqsQueue(this.queue, { deadLetterQueue: this.deadLetterQueue }));
    props.startRun.addEventSource(
      new SqsEventSource(this.queue, {
        batchSize: 10,
        maxBatchingWindow: Duration.seconds(5),
        reportBatchItemFailures: true,
      }),
    );
  }
}
