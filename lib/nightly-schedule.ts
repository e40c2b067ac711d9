import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import type * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { deadLetterQueue } from './dead-letter-queue';
import type { EncryptionKey } from './encryption-key';

export interface NightlyScheduleProps {
  readonly stateMachine: sfn.IStateMachine;
  /** cron(...) or rate(...), UTC; checked in deployment-settings.ts. */
  readonly schedule: string;
  readonly encryptionKey: EncryptionKey;
}

/**
 * Starts the state machine on the schedule with input `{}`: every configured org, recorded and
 * notified. Starts that cannot be delivered go to a dead-letter queue.
 */
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
    this.rule.addTarget(
      new targets.SfnStateMachine(props.stateMachine, {
        input: events.RuleTargetInput.fromObject({}),
        retryAttempts: 2,
        deadLetterQueue: this.deadLetterQueue,
      }),
    );
    props.encryptionKey.allowEventBridgeDeadLetters();
  }
}
