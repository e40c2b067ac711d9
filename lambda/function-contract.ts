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
  /** The artifact bucket for each scan's report page; unset, no page is written. */
  artifactBucket: 'ARTIFACT_BUCKET',
  /** The Security Hub product ARN findings are imported under; set only when `securityHub` is on. */
  securityHubProductArn: 'SECURITY_HUB_PRODUCT_ARN',
} as const;

/** Variables the stack sets only when a deployment setting asks for them (FUNCTION_ENV: always). */
export const OPTIONAL_FUNCTION_ENV = {
  /** With `-c oktaEventSource=…`: the partner event source whose events the function takes. */
  oktaEventSource: 'OKTA_EVENT_SOURCE',
} as const;
/** Where the function writes report pages, JSON reports and inventories in the artifact bucket. */
export const REPORT_PAGE_PREFIX = 'scans/';

/** Where the state machine's scan steps keep their progress (expired after 7 days). */
export const CHECKPOINT_PREFIX = 'checkpoints/';

/** The object key of a scan's report page (`.html`), JSON report (`.json`) or inventory (`.inventory.json`). */
export const reportPageKey = (org: string, scanId: string, extension: 'html' | 'json' | 'inventory.json'): string =>
  `${REPORT_PAGE_PREFIX}${org}/${scanId}.${extension}`;

/**
 * The account's default custom integration, the product findings of your own tools are imported under
 * (https://docs.aws.amazon.com/securityhub/latest/userguide/securityhub-custom-providers.html).
 */
export const securityHubProductArn = (partition: string, region: string, account: string): string =>
  `arn:${partition}:securityhub:${region}:${account}:product/${account}/default`;

/** A product ARN: partition, region and account captured, in that order. */
export const PRODUCT_ARN_PATTERN = /^arn:([^:]+):securityhub:([^:]+):(\d{12}):product\/\d{12}\/[^/]+$/;

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
  /** 1 when the report page could not be written to the artifact bucket. */
  reportPageFailed: 'ReportPageFailed',
  securityHubImported: 'SecurityHubImported',
  securityHubArchived: 'SecurityHubArchived',
  /** Findings Security Hub refused after the retries (or all of them, when the call failed). */
  securityHubFailed: 'SecurityHubFailed',
} as const;

/** Per-status and per-severity counts: `Findings<STATUS>` and `Fail_<severity>`. */
export const findingsMetric = (status: string): string => `Findings${status}`;
export const failSeverityMetric = (severity: string): string => `Fail_${severity}`;
