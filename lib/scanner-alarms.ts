import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import type * as sns from 'aws-cdk-lib/aws-sns';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import type * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { METRIC, METRICS_NAMESPACE, SERVICE_NAME } from '../lambda/function-contract';

export interface ScannerAlarmsProps {
  readonly function: lambda.IFunction;
  readonly timeout: Duration;
  readonly topic: sns.ITopic;
  /** Queues whose every message is a scan that did not happen or did not finish. */
  readonly deadLetterQueues: Readonly<Record<string, sqs.IQueue>>;
  /** The nightly state machine: an execution that failed, timed out or was stopped. */
  readonly stateMachine?: sfn.IStateMachine;
}

const PERIOD = Duration.minutes(5);

/** No finished scan for this long means the nightly scan did not run at all. */
export const HEARTBEAT_WINDOW = Duration.hours(26);
// CloudWatch caps Period x EvaluationPeriods at 7 days, and at 1 day for periods under an hour
// (PutMetricAlarm, https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_PutMetricAlarm.html):
// 26 one-hour periods fit; 26 hours of five-minute periods would not.
const HEARTBEAT_PERIOD = Duration.hours(1);

/** One of the handler's metrics (Powertools Metrics, default `service` dimension). */
function scannerMetric(metricName: string, period: Duration): cloudwatch.Metric {
  return new cloudwatch.Metric({
    namespace: METRICS_NAMESPACE,
    metricName,
    dimensionsMap: { service: SERVICE_NAME },
    period,
    statistic: cloudwatch.Stats.SUM,
  });
}

/** Alarms that mean "the control did not do its job last night", sent to the notification topic. */
export class ScannerAlarms extends Construct {
  readonly alarms: cloudwatch.Alarm[] = [];
  private readonly action: actions.SnsAction;

  constructor(scope: Construct, id: string, props: ScannerAlarmsProps) {
    super(scope, id);
    this.action = new actions.SnsAction(props.topic);
    this.addRunAlarms(props);
    this.addHeartbeat();
    if (props.stateMachine) this.addExecutionAlarms(props.stateMachine);
    for (const [name, queue] of Object.entries(props.deadLetterQueues)) {
      this.add(`${name}Messages`, {
        alarmDescription: `A failed invocation is waiting in the ${name} dead-letter queue.`,
        metric: queue.metricApproximateNumberOfMessagesVisible({ period: PERIOD, statistic: cloudwatch.Stats.MAXIMUM }),
        ...ON_ANY,
      });
    }
  }

  /**
   * A failed org is recorded and notified by the execution itself, which still succeeds: these fire
   * only when the orchestration broke, ran out of time or was stopped, and some orgs may be unscanned.
   */
  private addExecutionAlarms(stateMachine: sfn.IStateMachine): void {
    const options = { period: PERIOD, statistic: cloudwatch.Stats.SUM };
    this.add('ExecutionsFailed', {
      alarmDescription: 'The nightly scan execution failed (see the state machine logs); some orgs may not be scanned.',
      metric: stateMachine.metricFailed(options),
      ...ON_ANY,
    });
    this.add('ExecutionsTimedOut', {
      alarmDescription:
        'The nightly scan execution ran out of its 23 hours; the orgs still collecting were not scanned.',
      metric: stateMachine.metricTimedOut(options),
      ...ON_ANY,
    });
    this.add('ExecutionsAborted', {
      alarmDescription: 'The nightly scan execution was stopped; the orgs it had not finished were not scanned.',
      metric: stateMachine.metricAborted(options),
      ...ON_ANY,
    });
  }

  private add(alarmId: string, alarmProps: cloudwatch.AlarmProps): void {
    const alarm = new cloudwatch.Alarm(this, alarmId, alarmProps);
    alarm.addAlarmAction(this.action);
    this.alarms.push(alarm);
  }

  /** What went wrong in a run: an error, a run close to the timeout, a source not read. */
  private addRunAlarms(props: ScannerAlarmsProps): void {
    this.add('Errors', {
      alarmDescription: 'The Okta ownership scan failed with an error (see the function logs).',
      metric: props.function.metricErrors({ period: PERIOD, statistic: cloudwatch.Stats.SUM }),
      ...ON_ANY,
    });
    this.add('DurationNearTimeout', {
      alarmDescription: `A scan took more than 80% of the ${props.timeout.toMinutes()}-minute timeout; raise memory or narrow the scan before it times out.`,
      metric: props.function.metricDuration({ period: PERIOD, statistic: cloudwatch.Stats.MAXIMUM }),
      threshold: Math.floor(props.timeout.toMilliseconds() * 0.8),
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: 1,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });
    this.add('ScanIncomplete', {
      alarmDescription:
        'A scan could not read every Okta source (missing scope or failed read); its findings include UNKNOWN.',
      metric: scannerMetric(METRIC.scanIncomplete, PERIOD),
      ...ON_ANY,
    });
  }

  /**
   * The heartbeat: every recorded scan emits ScanFinished = 1. An hour without one is missing
   * data, which counts as breaching, so 26 such hours in a row mean no scan ran at all.
   */
  private addHeartbeat(): void {
    const heartbeatPeriods = HEARTBEAT_WINDOW.toHours() / HEARTBEAT_PERIOD.toHours();
    this.add('NoScanFinished', {
      alarmDescription: `No Okta ownership scan has finished for ${HEARTBEAT_WINDOW.toHours()} hours: the nightly schedule, the function or its permissions may be broken.`,
      metric: scannerMetric(METRIC.scanFinished, HEARTBEAT_PERIOD),
      threshold: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.LESS_THAN_THRESHOLD,
      evaluationPeriods: heartbeatPeriods,
      datapointsToAlarm: heartbeatPeriods,
      treatMissingData: cloudwatch.TreatMissingData.BREACHING,
    });
  }
}

/**
 * Fires on a single occurrence in a period. A nightly job emits no data most of the time; silence
 * is not a failure.
 */
const ON_ANY = {
  threshold: 1,
  comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
  evaluationPeriods: 1,
  treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
} as const;
