import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { ACCOUNT_STOP_EVENT_TYPES } from '../lambda/domain/account-stop-events';
import { deadLetterQueue } from './dead-letter-queue';

export interface OktaEventRuleProps {
  readonly function: lambda.IFunction;
  /** The Okta partner event source, aws.partner/okta.com/<org>/<name> (checked in deployment-settings.ts). */
  readonly eventSource: string;
  /** The stack's key; its policy already lets EventBridge rules of this account use it for dead letters. */
  readonly encryptionKey: kms.IKey;
}

/**
 * Sends the System Log events that stop an account (deactivation, suspension, lock-out, deletion)
 * from Okta's partner event bus to the scanner, which alerts when integrations ran on it. The
 * bus is the one the partner event source was associated with in the EventBridge console: it
 * carries the source's name (https://help.okta.com/en-us/content/topics/reports/log-streaming/add-aws-eb-log-stream.htm).
 */
export class OktaEventRule extends Construct {
  readonly rule: events.Rule;
  readonly deadLetterQueue: sqs.Queue;

  constructor(scope: Construct, id: string, props: OktaEventRuleProps) {
    super(scope, id);
    const bus = events.EventBus.fromEventBusName(this, 'PartnerBus', props.eventSource);
    this.deadLetterQueue = deadLetterQueue(this, 'DeadLetterQueue', props.encryptionKey);
    this.rule = new events.Rule(this, 'Rule', {
      description: 'Okta accounts deactivated, suspended, locked out or deleted: alert when integrations ran on them',
      eventBus: bus,
      // Okta streams every System Log event (no filtering on its side): only these reach the function.
      eventPattern: { source: [props.eventSource], detail: { eventType: [...ACCOUNT_STOP_EVENT_TYPES] } },
    });
    this.rule.addTarget(
      new targets.LambdaFunction(props.function, { retryAttempts: 2, deadLetterQueue: this.deadLetterQueue }),
    );
  }
}
