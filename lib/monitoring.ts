/**
 * Notifications: one SNS topic for run outcomes, with an optional e-mail subscription.
 */
import * as kms from 'aws-cdk-lib/aws-kms';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import { Construct } from 'constructs';

/** Properties of {@link PipelineNotifications}. */
export interface PipelineNotificationsProps {
  /**
   * Who gets an e-mail per finished run (the address must confirm the subscription).
   * @default - no subscription
   */
  readonly email?: string;
  /**
   * Key for the topic.
   * @default - the AWS managed key `alias/aws/sns`
   */
  readonly encryptionKey?: kms.IKey;
}

/** The run-outcome topic. */
export class PipelineNotifications extends Construct {
  readonly topic: sns.Topic;

  constructor(scope: Construct, id: string, props: PipelineNotificationsProps = {}) {
    super(scope, id);
    const masterKey = props.encryptionKey ?? kms.Alias.fromAliasName(this, 'SnsKey', 'alias/aws/sns');
    this.topic = new sns.Topic(this, 'Topic', {
      displayName: 'Bedrock batch pipeline runs',
      enforceSSL: true,
      masterKey,
    });
    if (props.email) this.topic.addSubscription(new subscriptions.EmailSubscription(props.email));
  }
}
