/**
 * Where a Stop jobs event goes when it could not be handled: Lambda's on-failure destination (the function
 * threw on every attempt of an asynchronous invocation) and the EventBridge target's dead-letter queue
 * (EventBridge could not invoke it). Nothing is dropped silently: the queue is alarmed and replayable
 * (docs/operator.md, "Replaying Stop jobs").
 */
import { Duration, Validations } from 'aws-cdk-lib';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as destinations from 'aws-cdk-lib/aws-lambda-destinations';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';

/** Properties of {@link StopJobsFailures}. */
export interface StopJobsFailuresProps {
  /** The Stop jobs function, invoked asynchronously by EventBridge. */
  readonly stopJobs: lambda.IFunction;
  /**
   * Attempts Lambda makes after the first failed one before the event goes to the queue (0..2).
   * @default 2
   */
  readonly retryAttempts?: number;
}

/** The queue of Stop jobs events that failed, and the function's asynchronous-invocation settings. */
export class StopJobsFailures extends Construct {
  /** Failed events: a Lambda destination record (`requestPayload` is the event) or the event itself. */
  readonly queue: sqs.Queue;

  constructor(scope: Construct, id: string, props: StopJobsFailuresProps) {
    super(scope, id);
    this.queue = new sqs.Queue(this, 'Queue', {
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    Validations.of(this.queue).acknowledge({
      id: 'AwsSolutions-SQS3',
      reason:
        'This queue is itself the dead-letter destination of Stop jobs; it is alarmed and replayed by hand.',
    });
    props.stopJobs.configureAsyncInvoke({
      onFailure: new destinations.SqsDestination(this.queue),
      retryAttempts: props.retryAttempts ?? 2,
      maxEventAge: Duration.hours(6),
    });
  }
}
