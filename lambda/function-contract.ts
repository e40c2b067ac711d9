// The contract between the Lambda and the stack that deploys it: the environment the stack sets
// and the handler reads, and the metrics the handler emits and the alarms watch. One copy, imported
// by lambda/handler.ts, lambda/scan-metrics.ts, lambda/modes/ and lib/, so the two sides cannot drift apart.

/** Environment variable names the stack sets on the function. */
export const FUNCTION_ENV = {
  tableName: 'TABLE_NAME',
  topicArn: 'TOPIC_ARN',
  oktaSecretArn: 'OKTA_SECRET_ARN',
  scannerConfig: 'SCANNER_CONFIG',
  serviceName: 'POWERTOOLS_SERVICE_NAME',
  metricsNamespace: 'POWERTOOLS_METRICS_NAMESPACE',
} as const;

/** Variables the stack sets only when a deployment setting asks for them (FUNCTION_ENV: always). */
export const OPTIONAL_FUNCTION_ENV = {
  /** With `-c oktaEventSource=…`: the partner event source whose events the function takes. */
  oktaEventSource: 'OKTA_EVENT_SOURCE',
} as const;

/** Powertools' service name: the `service` dimension of every metric. */
export const SERVICE_NAME = 'okta-ownership-scanner';
export const METRICS_NAMESPACE = 'OktaOwnershipScanner';

/** Metric names the handler emits (Powertools Metrics, EMF, dimension `service`). */
export const METRIC = {
  scanFailed: 'ScanFailed',
  /** 1 for every scan that ran to the end and was recorded (complete or incomplete): the heartbeat. */
  scanFinished: 'ScanFinished',
  scanIncomplete: 'ScanIncomplete',
  scanDuration: 'ScanDuration',
  oktaRequests: 'OktaRequests',
  oktaThrottled: 'OktaThrottled',
  newFindings: 'NewFindings',
  resolvedFindings: 'ResolvedFindings',
  notificationSent: 'NotificationSent',
  notificationFailed: 'NotificationFailed',
} as const;

/** Per-status and per-severity counts: `Findings<STATUS>` and `Fail_<severity>`. */
export const findingsMetric = (status: string): string => `Findings${status}`;
export const failSeverityMetric = (severity: string): string => `Fail_${severity}`;
