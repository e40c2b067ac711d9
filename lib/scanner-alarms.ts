import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import type * as sns from 'aws-cdk-lib/aws-sns';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { METRICS_NAMESPACE, SERVICE_NAME } from './scanner-function';

export interface ScannerAlarmsProps {
  readonly function: lambda.IFunction;
  readonly timeout: Duration;
  readonly topic: sns.ITopic;
  /** Queues whose every message is a scan that did not happen or did not finish. */
  readonly deadLetterQueues: Readonly<Record<string, sqs.IQueue>>;
}

/** The metric the handler emits (Powertools Metrics, default `service` dimension) when a scan is incomplete. */
export const SCAN_INCOMPLETE_METRIC = 'ScanIncomplete';

const PERIOD = Duration.minutes(5);

/** Alarms that mean "the control did not do its job last night", sent to the notification topic. */
export class ScannerAlarms extends Construct {
  readonly alarms: cloudwatch.Alarm[] = [];

  constructor(scope: Construct, id: string, props: ScannerAlarmsProps) {
    super(scope, id);
    const action = new actions.SnsAction(props.topic);
    const add = (alarmId: string, alarmProps: cloudwatch.AlarmProps): void => {
      const alarm = new cloudwatch.Alarm(this, alarmId, alarmProps);
      alarm.addAlarmAction(action);
      this.alarms.push(alarm);
    };
    // A nightly job emits no data most of the time; silence is not a failure.
    const quiet = cloudwatch.TreatMissingData.NOT_BREACHING;
    const atLeastOne = cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD;

    add('Errors', {
      alarmDescription: 'The Okta ownership scan failed with an error (see the function logs).',
      metric: props.function.metricErrors({ period: PERIOD, statistic: cloudwatch.Stats.SUM }),
      threshold: 1,
      comparisonOperator: atLeastOne,
      evaluationPeriods: 1,
      treatMissingData: quiet,
    });

    const durationLimit = Math.floor(props.timeout.toMilliseconds() * 0.8);
    add('DurationNearTimeout', {
      alarmDescription: `A scan took more than 80% of the ${props.timeout.toMinutes()}-minute timeout; raise memory or narrow the scan before it times out.`,
      metric: props.function.metricDuration({ period: PERIOD, statistic: cloudwatch.Stats.MAXIMUM }),
      threshold: durationLimit,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: 1,
      treatMissingData: quiet,
    });

    add('ScanIncomplete', {
      alarmDescription:
        'A scan could not read every Okta source (missing scope or failed read); its findings include UNKNOWN.',
      metric: new cloudwatch.Metric({
        namespace: METRICS_NAMESPACE,
        metricName: SCAN_INCOMPLETE_METRIC,
        dimensionsMap: { service: SERVICE_NAME },
        period: PERIOD,
        statistic: cloudwatch.Stats.SUM,
      }),
      threshold: 1,
      comparisonOperator: atLeastOne,
      evaluationPeriods: 1,
      treatMissingData: quiet,
    });

    for (const [name, queue] of Object.entries(props.deadLetterQueues)) {
      add(`${name}Messages`, {
        alarmDescription: `A failed scan run is waiting in the ${name} dead-letter queue.`,
        metric: queue.metricApproximateNumberOfMessagesVisible({
          period: PERIOD,
          statistic: cloudwatch.Stats.MAXIMUM,
        }),
        threshold: 1,
        comparisonOperator: atLeastOne,
        evaluationPeriods: 1,
        treatMissingData: quiet,
      });
    }
  }
}
