import { CfnOutput, Stack, type StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import type { ScannerConfig } from '../lambda/config';
import { DEFAULT_ORG_NAME } from '../lambda/org-configs';
import { EncryptionKey } from './encryption-key';
import { NightlySchedule } from './nightly-schedule';
import { NotificationTopic } from './notification-topic';
import { OktaEventRule } from './okta-event-rule';
import { OktaSecret } from './okta-secret';
import { ReportBucket } from './report-bucket';
import { ScanHistoryTable } from './scan-history-table';
import { ScanStateMachine } from './scan-state-machine';
import { ScannerAlarms } from './scanner-alarms';
import { ScannerDashboard } from './scanner-dashboard';
import { FUNCTION_TIMEOUT, ScannerFunction } from './scanner-function';

export const STACK_NAME = 'OktaOwnershipScanner';

export interface OktaOwnershipScannerStackProps extends StackProps {
  /** EventBridge expression, UTC (validated in deployment-settings.ts). */
  readonly schedule: string;
  readonly scannerConfig: ScannerConfig;
  /** Complete ARN of an existing Okta secret; absent: create an empty one. */
  readonly oktaSecretArn?: string;
  readonly oktaSecretKeyArn?: string;
  readonly notificationEmails?: readonly string[];
  /** Okta's partner event source (aws.partner/okta.com/…); absent: no owner alerts are deployed. */
  readonly oktaEventSource?: string;
  /** Function memory in MB. @default 512 */
  readonly memorySize?: number;
}

/** Composes the constructs; each one owns its concern (and its cdk-nag acknowledgements). */
export class OktaOwnershipScannerStack extends Stack {
  readonly encryptionKey: EncryptionKey;
  readonly history: ScanHistoryTable;
  readonly notifications: NotificationTopic;
  readonly oktaSecret: OktaSecret;
  readonly scanner: ScannerFunction;
  readonly orchestration: ScanStateMachine;
  readonly schedule: NightlySchedule;
  readonly alarms: ScannerAlarms;
  /** Only with `oktaEventSource`. */
  readonly oktaEvents?: OktaEventRule;
  readonly reports: ReportBucket;
  readonly dashboard: ScannerDashboard;

  constructor(scope: Construct, id: string, props: OktaOwnershipScannerStackProps) {
    super(scope, id, {
      description: 'Nightly scan of Okta for integrations owned by people instead of service accounts',
      ...props,
    });

    this.encryptionKey = new EncryptionKey(this, 'EncryptionKey');
    const key = this.encryptionKey.key;
    this.history = new ScanHistoryTable(this, 'History', { encryptionKey: key });
    this.notifications = new NotificationTopic(this, 'Notifications', {
      encryptionKey: key,
      emails: props.notificationEmails ?? [],
    });
    this.oktaSecret = new OktaSecret(this, 'OktaSecret', {
      encryptionKey: key,
      existingSecretArn: props.oktaSecretArn,
      existingSecretKeyArn: props.oktaSecretKeyArn,
    });
    this.reports = new ReportBucket(this, 'Reports', {
      encryptionKey: key,
      retentionDays: props.scannerConfig.historyRetentionDays,
    });
    this.scanner = new ScannerFunction(this, 'Scanner', {
      table: this.history.table,
      topic: this.notifications.topic,
      oktaSecret: this.oktaSecret,
      encryptionKey: key,
      scannerConfig: props.scannerConfig,
      memorySize: props.memorySize,
      oktaEventSource: props.oktaEventSource,
      reportBucket: this.reports,
    });
    this.encryptionKey.allowLogGroups();
    this.orchestration = new ScanStateMachine(this, 'Orchestration', {
      function: this.scanner.function,
      maxConcurrentOrgs: props.scannerConfig.maxConcurrentOrgs,
      encryptionKey: key,
    });
    this.schedule = new NightlySchedule(this, 'Schedule', {
      stateMachine: this.orchestration.stateMachine,
      schedule: props.schedule,
      encryptionKey: this.encryptionKey,
    });
    if (props.oktaEventSource) {
      this.oktaEvents = new OktaEventRule(this, 'OktaEvents', {
        function: this.scanner.function,
        eventSource: props.oktaEventSource,
        encryptionKey: key,
      });
    }
    this.alarms = this.addAlarms();
    this.dashboard = new ScannerDashboard(this, 'Dashboard', {
      securityHub: props.scannerConfig.securityHub,
      reportPages: true,
      stateMachine: this.orchestration.stateMachine,
    });
    this.addOutputs(props.scannerConfig.orgs?.[0].name ?? DEFAULT_ORG_NAME);
  }

  /** What tells someone the nightly scan did not do its job. */
  private addAlarms(): ScannerAlarms {
    return new ScannerAlarms(this, 'Alarms', {
      function: this.scanner.function,
      timeout: FUNCTION_TIMEOUT,
      topic: this.notifications.topic,
      stateMachine: this.orchestration.stateMachine,
      deadLetterQueues: {
        ScheduleDeadLetter: this.schedule.deadLetterQueue,
        FailedInvocation: this.scanner.failedInvocations,
        ...(this.oktaEvents && { OktaEventDeadLetter: this.oktaEvents.deadLetterQueue }),
      },
    });
  }

  /** `exampleOrg`: the org the StartExecution line names (the first configured one). */
  private addOutputs(exampleOrg: string): void {
    const functionName = this.scanner.function.functionName;
    const secretArn = this.oktaSecret.secret.secretArn;
    new CfnOutput(this, 'FunctionName', { value: functionName });
    new CfnOutput(this, 'TableName', { value: this.history.table.tableName });
    new CfnOutput(this, 'TopicArn', { value: this.notifications.topic.topicArn });
    new CfnOutput(this, 'SecretArn', { value: secretArn });
    new CfnOutput(this, 'ReportBucketName', {
      description: 'Each scan writes its HTML page and JSON report under scans/<org>/<scanId>',
      value: this.reports.bucket.bucketName,
    });
    new CfnOutput(this, 'DashboardUrl', {
      description: 'The CloudWatch dashboard: violations by severity, new and resolved, duration, Okta requests',
      value: `https://console.aws.amazon.com/cloudwatch/home?region=${this.region}#dashboards:name=${this.dashboard.name}`,
    });
    new CfnOutput(this, 'InvokeAdHoc', {
      description: 'A dry run: scans and returns the summary, records and notifies nothing',
      value: `aws lambda invoke --function-name ${functionName} --cli-read-timeout 900 --cli-binary-format raw-in-base64-out --payload '{"mode":"scan","dryRun":true}' out.json`,
    });
    const stateMachineArn = this.orchestration.stateMachine.stateMachineArn;
    new CfnOutput(this, 'StateMachineArn', {
      description: 'The nightly scan of every configured org (Step Functions)',
      value: stateMachineArn,
    });
    new CfnOutput(this, 'StartExecution', {
      description: 'A full scan (recorded and notified) of the chosen orgs now; without "orgs", every configured org',
      value: `aws stepfunctions start-execution --state-machine-arn ${stateMachineArn} --input '{"orgs":["${exampleOrg}"]}'`,
    });
    if (this.oktaSecret.created) {
      new CfnOutput(this, 'PutSecretValue', {
        description:
          'Fill the secret from a local file (never on the command line): {"orgUrl","apiToken"} or {"orgUrl","clientId","privateKey","keyId"}',
        value: `aws secretsmanager put-secret-value --secret-id ${secretArn} --secret-string file://okta-secret.json`,
      });
    }
  }
}
