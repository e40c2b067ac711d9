import { RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';

/** The one customer managed key shared by the secret, the table, the topic and the dead-letter queues. */
export class EncryptionKey extends Construct {
  readonly key: kms.Key;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    const { account } = Stack.of(this);

    this.key = new kms.Key(this, 'Key', {
      description: 'okta-ownership-scanner: scan history, Okta credentials, notifications, dead letters',
      enableKeyRotation: true,
      // The table and its history are retained; deleting the key would make them unreadable.
      removalPolicy: RemovalPolicy.RETAIN,
    });

    // CloudWatch alarms publish to the encrypted topic as the service itself, not as a role.
    this.key.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'AllowCloudWatchAlarmsToUseKeyForEncryptedTopic',
        principals: [new iam.ServicePrincipal('cloudwatch.amazonaws.com')],
        actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
        resources: ['*'],
        conditions: { StringEquals: { 'aws:SourceAccount': account } },
      }),
    );
  }

  /**
   * CloudWatch Logs encrypts a log group's events with the key as the service itself. Scoped to
   * this account's log groups in the region, not to one log group ARN: that would be a dependency
   * cycle (key -> log group -> key).
   */
  allowLogGroups(): void {
    const { account, partition, region } = Stack.of(this);
    this.key.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'AllowCloudWatchLogsToUseKeyForLogGroups',
        principals: [new iam.ServicePrincipal(`logs.${region}.amazonaws.com`)],
        actions: ['kms:Encrypt*', 'kms:Decrypt*', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:Describe*'],
        resources: ['*'],
        conditions: {
          ArnLike: { 'kms:EncryptionContext:aws:logs:arn': `arn:${partition}:logs:${region}:${account}:log-group:*` },
        },
      }),
    );
  }

  /**
   * EventBridge writes undeliverable events to an encrypted dead-letter queue as the service itself.
   * Scoped to this account's rules, not to the one rule ARN: that would be a dependency cycle
   * (key -> rule -> function -> role policy -> secret -> key).
   */
  allowEventBridgeDeadLetters(): void {
    const { account, partition, region } = Stack.of(this);
    this.key.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'AllowEventBridgeToUseKeyForDeadLetterQueue',
        principals: [new iam.ServicePrincipal('events.amazonaws.com')],
        actions: ['kms:Decrypt', 'kms:GenerateDataKey'],
        resources: ['*'],
        conditions: {
          StringEquals: { 'aws:SourceAccount': account },
          ArnLike: { 'aws:SourceArn': `arn:${partition}:events:${region}:${account}:rule/*` },
        },
      }),
    );
  }
}
