import { RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import { Construct } from 'constructs';

export interface NotificationTopicProps {
  readonly encryptionKey: kms.IKey;
  /** Each receives a confirmation email from AWS first. */
  readonly emails: readonly string[];
}

/** Scan notifications and alarm messages, for people (email) and machines (other subscribers). */
export class NotificationTopic extends Construct {
  readonly topic: sns.Topic;

  constructor(scope: Construct, id: string, props: NotificationTopicProps) {
    super(scope, id);
    const { account, partition, region } = Stack.of(this);

    this.topic = new sns.Topic(this, 'Topic', {
      displayName: 'Okta ownership scanner',
      masterKey: props.encryptionKey,
      enforceSSL: true,
    });
    // Nothing is stored in a topic; email subscribers simply confirm again after a redeploy.
    this.topic.applyRemovalPolicy(RemovalPolicy.DESTROY);

    // The explicit policy replaces SNS's default one: principals of this account (subject to their
    // own IAM policies) and CloudWatch alarms of this account, nobody else.
    this.topic.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'AllowThisAccountOnly',
        principals: [new iam.AccountRootPrincipal()],
        actions: ['sns:Publish', 'sns:Subscribe', 'sns:GetTopicAttributes', 'sns:ListSubscriptionsByTopic'],
        resources: [this.topic.topicArn],
      }),
    );
    this.topic.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'AllowCloudWatchAlarmsOfThisAccount',
        principals: [new iam.ServicePrincipal('cloudwatch.amazonaws.com')],
        actions: ['sns:Publish'],
        resources: [this.topic.topicArn],
        conditions: {
          StringEquals: { 'aws:SourceAccount': account },
          ArnLike: { 'aws:SourceArn': `arn:${partition}:cloudwatch:${region}:${account}:alarm:*` },
        },
      }),
    );

    for (const email of props.emails) {
      this.topic.addSubscription(new subscriptions.EmailSubscription(email));
    }
  }
}
