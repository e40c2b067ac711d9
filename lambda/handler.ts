import { randomUUID } from 'node:crypto';
import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { S3Client } from '@aws-sdk/client-s3';
import type { SecurityHubClient } from '@aws-sdk/client-securityhub';
import type { SNSClient } from '@aws-sdk/client-sns';
import { parseConfig, type ScannerConfig } from './config';
import { decodeScannerConfig } from './config-encoding';
import { sourcesFor } from './engine';
import { ConfigError, ScanFailedError } from './errors';
import {
  FUNCTION_ENV,
  METRICS_NAMESPACE,
  OPTIONAL_FUNCTION_ENV,
  PRODUCT_ARN_PATTERN,
  SERVICE_NAME,
} from './function-contract';
import { type JobResult, runJob } from './job';
import type { JobDeps } from './job-deps';
import type { OktaClientOptions } from './okta/client';
import { type ResolvedOrg, resolveOrgs } from './org-configs';
import { loadSecretConnection } from './secret-connection';
import type { DynamoFindingStore } from './sinks/dynamo-store';

// The Lambda entry point, kept thin: read the environment the stack set, build the adapters,
// and hand over to runJob(), the same path the tests drive. What only a run needs (the AWS
// clients, the scan and the Okta SDK) is loaded on first use, not at module load; the Okta SDK
// is a file of its own in the asset (lib/scanner-function.ts), read only when a scan starts.

const logger = new Logger({ serviceName: process.env[FUNCTION_ENV.serviceName] ?? SERVICE_NAME });
const metrics = new Metrics({
  namespace: process.env[FUNCTION_ENV.metricsNamespace] ?? METRICS_NAMESPACE,
  serviceName: process.env[FUNCTION_ENV.serviceName] ?? SERVICE_NAME,
});

/** What tests may replace; the deployed handler uses none of these. */
export interface HandlerOverrides {
  /** Waits between DynamoDB batch-write retries and, unless `oktaClient` says otherwise, Okta retries. */
  sleep?: (ms: number) => Promise<void>;
  /** The Okta client's request timeout and waits. */
  oktaClient?: Pick<OktaClientOptions, 'requestTimeoutMs' | 'sleep'>;
  dynamoClient?: DynamoDBClient;
  snsClient?: SNSClient;
  s3Client?: S3Client;
  securityHubClient?: SecurityHubClient;
}

interface Environment {
  tableName: string;
  topicArn: string;
  secretArn: string;
  config: ScannerConfig;
  oktaEventSource?: string;
  /** Unset: the deployment has no artifact bucket, and no report page is written. */
  artifactBucket?: string;
  securityHubProductArn?: string;
  orgs: ResolvedOrg[];
}

/** The variable's value; an unset one is added to `problems` (and reported with the rest). */
function required(env: NodeJS.ProcessEnv, name: string, problems: string[]): string {
  const value = env[name];
  if (!value) problems.push(`${name}: not set (the stack sets it)`);
  return value ?? '';
}

function readEnvironment(env: NodeJS.ProcessEnv): Environment {
  const problems: string[] = [];
  const tableName = required(env, FUNCTION_ENV.tableName, problems);
  const topicArn = required(env, FUNCTION_ENV.topicArn, problems);
  const secretArn = required(env, FUNCTION_ENV.oktaSecretArn, problems);
  let config: unknown = {};
  const configJson = env[FUNCTION_ENV.scannerConfig];
  try {
    config = configJson ? JSON.parse(decodeScannerConfig(configJson)) : {};
  } catch {
    problems.push(`${FUNCTION_ENV.scannerConfig}: not valid JSON (nor gzipped JSON)`);
  }
  const parsed = problems.length > 0 ? null : parseConfig(config, FUNCTION_ENV.scannerConfig);
  const securityHubProductArn = parsed?.securityHub
    ? required(env, FUNCTION_ENV.securityHubProductArn, problems)
    : undefined;
  if (securityHubProductArn && !PRODUCT_ARN_PATTERN.test(securityHubProductArn)) {
    problems.push(
      `${FUNCTION_ENV.securityHubProductArn}: not a Security Hub product ARN (the stack sets ` +
        'arn:<partition>:securityhub:<region>:<account>:product/<account>/default)',
    );
  }
  if (problems.length > 0 || !parsed) throw new ConfigError('The function is misconfigured', problems);
  const artifactBucket = env[FUNCTION_ENV.artifactBucket] || undefined;
  const oktaEventSource = env[OPTIONAL_FUNCTION_ENV.oktaEventSource] || undefined;
  return {
    tableName,
    topicArn,
    secretArn,
    config: parsed,
    artifactBucket,
    securityHubProductArn,
    oktaEventSource,
    orgs: resolveOrgs(parsed, secretArn),
  };
}

/** The history and notification adapters; their modules load on the first invocation of a container. */
async function historyAdapters(
  env: Environment,
  overrides: HandlerOverrides,
): Promise<Pick<JobDeps, 'notifier'> & { store: DynamoFindingStore }> {
  const [{ DynamoDBClient }, { SNSClient }, { DynamoFindingStore }, { SnsNotifier }] = await Promise.all([
    import('@aws-sdk/client-dynamodb'),
    import('@aws-sdk/client-sns'),
    import('./sinks/dynamo-store.js'),
    import('./sinks/sns-notifier.js'),
  ]);
  return {
    store: new DynamoFindingStore({
      client: overrides.dynamoClient ?? new DynamoDBClient({}),
      tableName: env.tableName,
      retentionDays: env.config.historyRetentionDays,
      sleep: overrides.sleep,
    }),
    notifier: new SnsNotifier({ client: overrides.snsClient ?? new SNSClient({}), topicArn: env.topicArn }),
  };
}

/** The report page, checkpoint and Security Hub adapters, where the deployment has them. */
async function exportAdapters(
  env: Environment,
  overrides: HandlerOverrides,
): Promise<Pick<JobDeps, 'reportPages' | 'securityHub' | 'checkpoints'>> {
  const adapters: Pick<JobDeps, 'reportPages' | 'securityHub' | 'checkpoints'> = {};
  if (env.artifactBucket) {
    const [{ S3Client }, { S3ReportPages }, { S3CheckpointStore }] = await Promise.all([
      import('@aws-sdk/client-s3'),
      import('./sinks/report-page-s3.js'),
      import('./sinks/checkpoint-s3.js'),
    ]);
    const client = overrides.s3Client ?? new S3Client({});
    const region = await client.config.region();
    adapters.reportPages = new S3ReportPages({ client, bucket: env.artifactBucket, region });
    adapters.checkpoints = new S3CheckpointStore({ client, bucket: env.artifactBucket });
  }
  if (env.securityHubProductArn) {
    const [{ SecurityHubClient }, { SecurityHubImporter }] = await Promise.all([
      import('@aws-sdk/client-securityhub'),
      import('./sinks/security-hub/importer.js'),
    ]);
    adapters.securityHub = new SecurityHubImporter({
      client: overrides.securityHubClient ?? new SecurityHubClient({}),
      productArn: env.securityHubProductArn,
      sleep: overrides.sleep,
    });
  }
  return adapters;
}

const log: JobDeps['log'] = {
  info: (message, extra) => logger.info(message, { ...extra }),
  warn: (message, extra) => logger.warn(message, { ...extra }),
  error: (message, extra) => logger.error(message, { ...extra }),
};

/** The part of Lambda's context the handler reads. */
export interface InvocationContext {
  getRemainingTimeInMillis(): number;
}

/** The handler, with test doubles where given; `handler` below is the one the stack deploys. */
export function createHandler(
  overrides: HandlerOverrides = {},
): (event: unknown, context?: InvocationContext) => Promise<JobResult> {
  return async (event, context) => {
    const env = readEnvironment(process.env);
    const scanId = randomUUID();
    logger.appendKeys({ scanId });
    const adapters = await historyAdapters(env, overrides);
    const deps: JobDeps = {
      config: env.config,
      ...adapters,
      ...(await exportAdapters(env, overrides)),
      loadConnection: () => loadSecretConnection(env.secretArn),
      connectTo: (secret) => loadSecretConnection(secret),
      secretName: env.secretArn,
      orgs: env.orgs,
      remainingMs: context ? () => context.getRemainingTimeInMillis() : undefined,
      // The store keeps the org's ledger: each scan reads the log from where the last one stopped.
      scan: async ({ recordLedger, ...options }) =>
        (await import('./ledger-scan.js')).scanWithLedger(
          { ...options, client: { sleep: overrides.sleep, ...overrides.oktaClient, ...options.client } },
          { store: adapters.store, save: recordLedger === true },
        ),
      checkRuleIds: (ruleIds) => {
        sourcesFor(ruleIds);
      },
      log,
      metrics: {
        count: (name, value) => metrics.addMetric(name, MetricUnit.Count, value),
        duration: (name, ms) => metrics.addMetric(name, MetricUnit.Milliseconds, ms),
      },
      now: () => new Date(),
      newScanId: () => scanId,
      recordPointer: `DynamoDB table ${env.tableName}, scan ${scanId}`,
      historyPointer: `DynamoDB table ${env.tableName}`,
      oktaEventSource: env.oktaEventSource,
    };
    try {
      const result = await runJob(event, deps);
      if ('mode' in result && result.mode === 'scan' && result.status === 'failed') {
        // Surfaces as a function error: the Errors alarm fires and the schedule's DLQ keeps the event.
        throw new ScanFailedError(`Scan ${scanId} failed: ${result.failureReason}`);
      }
      return result;
    } finally {
      // A step that counts nothing (Plan, a Collect step) would log Powertools' "No application
      // metrics to publish" warning on every invocation.
      if (metrics.hasStoredMetrics()) metrics.publishStoredMetrics();
      logger.removeKeys(['scanId']);
    }
  };
}

export const handler = createHandler();
