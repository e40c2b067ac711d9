import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { deadLetterQueue } from './dead-letter-queue';
import type { EncryptionKey } from './encryption-key';

export interface NightlyScheduleProps {
  readonly function: lambda.IFunction;
  /** cron(...) or rate(...), UTC; checked in deployment-settings.ts. */
  readonly schedule: string;
  readonly encryptionKey: EncryptionKey;
}

/** Starts a full scan on the schedule; events that cannot be delivered go to a dead-letter queue. */
export class NightlySchedule extends Construct {
  readonly rule: events.Rule;
  readonly deadLetterQueue: sqs.Queue;

  constructor(scope: Construct, id: string, props: NightlyScheduleProps) {
    super(scope, id);
    this.deadLetterQueue = deadLetterQueue(this, 'DeadLetterQueue', props.encryptionKey.key);
    this.rule = new events.Rule(this, 'Rule', {
      description: 'Nightly Okta ownership scan',
      schedule: events.Schedule.expression(props.schedule),
    });
    // The scheduled event itself is the payload: the handler reads it as "full scan, record, notify".
    this.rule.addTarget(
      new targets.LambdaFunction(props.function, {
        retryAttempts: 2,
        deadLetterQueue: this.deadLetterQueue,
      }),
    );
    props.encryptionKey.allowEventBridgeDeadLetters();
  }
}
