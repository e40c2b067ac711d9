import { Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';

/**
 * An encrypted, TLS-only queue that holds failed scan runs for the longest time SQS allows,
 * so whoever answers the alarm can still see what failed.
 */
export function deadLetterQueue(scope: Construct, id: string, encryptionKey: kms.IKey): sqs.Queue {
  const queue = new sqs.Queue(scope, id, {
    encryption: sqs.QueueEncryption.KMS,
    encryptionMasterKey: encryptionKey,
    enforceSSL: true,
    retentionPeriod: Duration.days(14),
    // Only failure records live here; they are copies of events, not data of record.
    removalPolicy: RemovalPolicy.DESTROY,
  });
  Validations.of(queue).acknowledge({
    id: 'AwsSolutions-SQS3',
    reason:
      'This queue is itself a dead-letter queue (of an EventBridge target or a Lambda on-failure destination); ' +
      'cdk-nag only recognises SQS redrive DLQs. A DLQ of a DLQ would hide failures instead of alarming on them.',
  });
  return queue;
}
