import { Duration, Stack } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import type * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { SEVERITIES } from '../lambda/domain/finding';
import { failSeverityMetric, METRIC, METRICS_NAMESPACE, SERVICE_NAME } from '../lambda/function-contract';

// The scanner at a glance, from the metrics the function emits (names in the function contract):
// where violations stand, what each scan changed, how long it took, how hard it leaned on Okta,
// and which scans could not see everything or did not finish. README.md, "The dashboard".

/** A nightly job: one point a day reads as a trend; ad-hoc scans add to their day. */
const PERIOD = Duration.days(1);
const WIDTH = 12;
const HEIGHT = 6;

function scannerMetric(metricName: string, statistic: string, label?: string): cloudwatch.Metric {
  return new cloudwatch.Metric({
    namespace: METRICS_NAMESPACE,
    metricName,
    dimensionsMap: { service: SERVICE_NAME },
    period: PERIOD,
    statistic,
    label: label ?? metricName,
  });
}

function graph(
  title: string,
  left: cloudwatch.IMetric[],
  options: Partial<cloudwatch.GraphWidgetProps> = {},
): cloudwatch.GraphWidget {
  return new cloudwatch.GraphWidget({ title, left, width: WIDTH, height: HEIGHT, ...options });
}

export interface ScannerDashboardProps {
  /** Also show the Security Hub import (config `securityHub: true`). */
  readonly securityHub: boolean;
  /** Also show report pages that could not be written (the deployment has an artifact bucket). */
  readonly reportPages: boolean;
  /** Also show how the nightly executions ended. */
  readonly stateMachine?: sfn.IStateMachine;
}

/** How each nightly execution ended: one succeeded a day is the normal line. */
function executionsGraph(stateMachine: sfn.IStateMachine): cloudwatch.GraphWidget {
  const options = { period: PERIOD, statistic: cloudwatch.Stats.SUM };
  return graph('Nightly executions (Step Functions)', [
    stateMachine.metricSucceeded({ ...options, label: 'succeeded' }),
    stateMachine.metricFailed({ ...options, label: 'failed' }),
    stateMachine.metricTimedOut({ ...options, label: 'timed out' }),
    stateMachine.metricAborted({ ...options, label: 'aborted' }),
  ]);
}

export class ScannerDashboard extends Construct {
  readonly dashboard: cloudwatch.Dashboard;
  /** `<stack>-<region>`: what the console lists. */
  readonly name: string;

  constructor(scope: Construct, id: string, props: ScannerDashboardProps) {
    super(scope, id);
    const sum = cloudwatch.Stats.SUM;
    const max = cloudwatch.Stats.MAXIMUM;
    const { stackName, region } = Stack.of(this);
    // Dashboard names are unique in the account, across regions: one per deployed stack.
    this.name = `${stackName}-${region}`;
    this.dashboard = new cloudwatch.Dashboard(this, 'Dashboard', {
      dashboardName: this.name,
      defaultInterval: Duration.days(30),
      periodOverride: cloudwatch.PeriodOverride.INHERIT,
    });
    this.dashboard.addWidgets(
      graph(
        'Open violations by severity (FAIL findings of the last scan of the day)',
        SEVERITIES.map((s) => scannerMetric(failSeverityMetric(s), max, s)),
        { stacked: true },
      ),
      graph('New and resolved violations per scan', [
        scannerMetric(METRIC.newFindings, sum, 'new or regressed'),
        scannerMetric(METRIC.resolvedFindings, sum, 'resolved'),
      ]),
    );
    this.dashboard.addWidgets(
      graph('Scan duration', [scannerMetric(METRIC.scanDuration, max, 'longest scan (ms)')]),
      graph('Okta requests and throttling', [scannerMetric(METRIC.oktaRequests, sum, 'requests')], {
        right: [scannerMetric(METRIC.oktaThrottled, sum, 'throttled (429)')],
      }),
    );
    const exports = [
      ...(props.reportPages ? [scannerMetric(METRIC.reportPageFailed, sum, 'report page not written')] : []),
      ...(props.securityHub ? [scannerMetric(METRIC.securityHubFailed, sum, 'refused by Security Hub')] : []),
    ];
    this.dashboard.addWidgets(
      graph('Incomplete and failed scans', [
        scannerMetric(METRIC.scanFinished, sum, 'finished'),
        scannerMetric(METRIC.scanIncomplete, sum, 'incomplete'),
        scannerMetric(METRIC.scanFailed, sum, 'failed'),
        ...exports,
      ]),
      ...(props.securityHub
        ? [
            graph('Security Hub import', [
              scannerMetric(METRIC.securityHubImported, sum, 'imported (active)'),
              scannerMetric(METRIC.securityHubArchived, sum, 'archived (resolved)'),
            ]),
          ]
        : []),
    );
    if (props.stateMachine) this.dashboard.addWidgets(executionsGraph(props.stateMachine));
  }
}
