import * as path from 'node:path';
import { Duration, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as destinations from 'aws-cdk-lib/aws-lambda-destinations';
import * as nodejs from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import type * as sns from 'aws-cdk-lib/aws-sns';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import type { ScannerConfig } from '../lambda/config';
import { encodeScannerConfig } from '../lambda/config-encoding';
import { ConfigError } from '../lambda/errors';
import {
  CHECKPOINT_PREFIX,
  FUNCTION_ENV,
  METRICS_NAMESPACE,
  OPTIONAL_FUNCTION_ENV,
  REPORT_PAGE_PREFIX,
  SERVICE_NAME,
  securityHubProductArn,
} from '../lambda/function-contract';
import { deadLetterQueue } from './dead-letter-queue';
import type { OktaSecret } from './okta-secret';
import { grantOrgSecrets } from './org-secrets';
import { REPORT_BUCKET_LOGICAL_ID, type ReportBucket } from './report-bucket';
import { SCAN_HISTORY_TABLE_LOGICAL_ID } from './scan-history-table';

export const DEFAULT_MEMORY_MB = 512;
export const FUNCTION_TIMEOUT = Duration.minutes(15);

// Lambda caps all environment variables together at 4 KB; keep room for the names and ARNs.
export const MAX_SCANNER_CONFIG_BYTES = 3072;

/** The handler's source: what the stack bundles (test/bundle builds the same). */
export const SCANNER_ENTRY = path.join(__dirname, '..', 'lambda', 'handler.ts');

/** Only a scan needs the Okta SDK (about 4 MB bundled), so it ships as a file of its own. */
export const OKTA_SDK_MODULE = '@okta/okta-sdk-nodejs';

const NODE_TARGET = 'node24';

const shellQuote = (value: string): string => `'${value.replaceAll("'", "'\\''")}'`;

/**
 * The command that bundles the Okta SDK into the asset's node_modules (scripts/bundle-okta-sdk.mjs),
 * where the handler's require() finds it the first time a scan runs: loading the handler then
 * parses nothing a refused payload or the module load does not need (bench/cold-start.ts).
 */
function bundleOktaSdk(outputDir: string): string {
  const script = path.join(__dirname, '..', 'scripts', 'bundle-okta-sdk.mjs');
  return [process.execPath, script, outputDir, NODE_TARGET].map(shellQuote).join(' ');
}

/** How the stack bundles the handler; test/bundle reuses these options (hooks included) to rebuild it. */
export const SCANNER_BUNDLING = {
  // CJS: under an ESM bundle the Okta SDK's node-fetch resolves to its ESM entry and fails at run time.
  format: nodejs.OutputFormat.CJS,
  minify: true,
  sourceMap: true,
  target: NODE_TARGET,
  // Everything bundled, AWS SDK included: the versions we tested are the versions that run. The
  // Okta SDK is bundled too, into a file of its own (commandHooks), loaded on first use.
  externalModules: [OKTA_SDK_MODULE],
  forceDockerBundling: false,
  commandHooks: {
    beforeBundling: (): string[] => [],
    beforeInstall: (): string[] => [],
    afterBundling: (_inputDir: string, outputDir: string): string[] => [bundleOktaSdk(outputDir)],
  },
} satisfies nodejs.BundlingOptions;

export interface ScannerFunctionProps {
  readonly table: dynamodb.ITableV2;
  readonly topic: sns.ITopic;
  readonly oktaSecret: OktaSecret;
  readonly encryptionKey: kms.IKey;
  readonly scannerConfig: ScannerConfig;
  /** @default 512 */
  readonly memorySize?: number;
  /** The Okta partner event source whose events the function accepts; absent: none. */
  readonly oktaEventSource?: string;
  /** Where each scan's HTML page goes; absent, none is written. */
  readonly reportBucket?: ReportBucket;
}

/** The config as the function's environment carries it (gzipped when large), refused when it cannot fit. */
function configForEnvironment(config: ScannerConfig): string {
  const json = JSON.stringify(config);
  const value = encodeScannerConfig(json, MAX_SCANNER_CONFIG_BYTES);
  if (value === null) {
    throw new ConfigError('Config too large for the Lambda environment', [
      `the config is ${Buffer.byteLength(json)} bytes as JSON and over ${MAX_SCANNER_CONFIG_BYTES} even gzipped; ` +
        'at most that fits in the 4 KB Lambda environment (shorten suppression reasons or merge login patterns)',
    ]);
  }
  return value;
}

/** The nightly scanner: one bundled handler, one scan at a time, only the grants it needs. */
export class ScannerFunction extends Construct {
  readonly function: nodejs.NodejsFunction;
  readonly logGroup: logs.LogGroup;
  /** Async invocations (the schedule's) that failed in the handler land here. */
  readonly failedInvocations: sqs.Queue;

  constructor(scope: Construct, id: string, props: ScannerFunctionProps) {
    super(scope, id);

    const scannerConfig = configForEnvironment(props.scannerConfig);

    this.logGroup = new logs.LogGroup(this, 'Logs', {
      // A year of run logs: evidence that the control ran, matching the ~400-day history in the table.
      retention: logs.RetentionDays.ONE_YEAR,
      // Kept when the stack goes: the logs expire on their own and are the record of past runs.
      removalPolicy: RemovalPolicy.RETAIN,
    });

    // Our own role instead of AWSLambdaBasicExecutionRole: it may write only to its own log group.
    const role = new iam.Role(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: "okta-ownership-scanner function: the orgs' secrets, one table, one topic, its own logs",
    });
    this.logGroup.grantWrite(role);

    this.failedInvocations = deadLetterQueue(this, 'FailedInvocations', props.encryptionKey);

    this.function = new nodejs.NodejsFunction(this, 'Function', {
      entry: SCANNER_ENTRY,
      handler: 'handler',
      runtime: lambda.Runtime.NODEJS_24_X,
      architecture: lambda.Architecture.ARM_64,
      memorySize: props.memorySize ?? DEFAULT_MEMORY_MB,
      timeout: FUNCTION_TIMEOUT,
      // As many steps at a time as the state machine runs orgs side by side (README.md, "Many orgs
      // (Step Functions)"): an ad-hoc run beside the nightly one takes a slot or is throttled, and a
      // throttled step waits for a slot (lib/scan-state-machine.ts).
      reservedConcurrentExecutions: props.scannerConfig.maxConcurrentOrgs,
      role,
      logGroup: this.logGroup,
      description: 'Scans Okta for integrations owned by people instead of service accounts',
      // The schedule already retries delivery twice; a second full scan after a failed one would only repeat it.
      retryAttempts: 0,
      maxEventAge: Duration.hours(6),
      onFailure: new destinations.SqsDestination(this.failedInvocations),
      environment: this.environment(props, scannerConfig),
      bundling: SCANNER_BUNDLING,
    });

    this.grantAccess(props, role);
  }

  /** What the handler reads (lambda/function-contract.ts). */
  private environment(props: ScannerFunctionProps, scannerConfig: string): Record<string, string> {
    return {
      [FUNCTION_ENV.tableName]: props.table.tableName,
      [FUNCTION_ENV.topicArn]: props.topic.topicArn,
      [FUNCTION_ENV.oktaSecretArn]: props.oktaSecret.secret.secretArn,
      [FUNCTION_ENV.scannerConfig]: scannerConfig,
      [FUNCTION_ENV.serviceName]: SERVICE_NAME,
      [FUNCTION_ENV.metricsNamespace]: METRICS_NAMESPACE,
      ...(props.oktaEventSource && { [OPTIONAL_FUNCTION_ENV.oktaEventSource]: props.oktaEventSource }),
      // Kept: a failed nightly scan's stack trace then names lambda/*.ts lines. Now that the map
      // covers the handler alone (the Okta SDK's file has none) it adds about 30 ms to a cold
      // start (bench/cold-start.ts; it was 150 to 400 ms with the SDK inside), once a night.
      NODE_OPTIONS: '--enable-source-maps',
      ...this.exportEnvironment(props),
    };
  }

  /** Exactly what the function reads and writes. */
  private grantAccess(props: ScannerFunctionProps, role: iam.Role): void {
    props.oktaSecret.grantRead(this.function);
    props.table.grantReadWriteData(this.function);
    props.topic.grantPublish(this.function);
    grantOrgSecrets(role, props.scannerConfig);
    props.reportBucket?.grantWritePages(this.function);
    props.reportBucket?.grantCheckpoints(this.function);
    if (props.scannerConfig.securityHub) {
      this.function.addToRolePolicy(
        new iam.PolicyStatement({ actions: ['securityhub:BatchImportFindings'], resources: [this.productArn()] }),
      );
    }

    acknowledgeGrantWildcards(role);
    if (props.reportBucket) acknowledgeReportPrefix(role);
  }

  /** The account's default custom integration in this stack's region. */
  private productArn(): string {
    const { partition, region, account } = Stack.of(this);
    return securityHubProductArn(partition, region, account);
  }

  /** The artifact bucket and the Security Hub product, where the deployment has them. */
  private exportEnvironment(props: ScannerFunctionProps): Record<string, string> {
    return {
      ...(props.reportBucket ? { [FUNCTION_ENV.artifactBucket]: props.reportBucket.bucket.bucketName } : {}),
      ...(props.scannerConfig.securityHub ? { [FUNCTION_ENV.securityHubProductArn]: this.productArn() } : {}),
    };
  }
}

function acknowledgeReportPrefix(role: iam.Role): void {
  Validations.of(role).acknowledge({
    id: `AwsSolutions-IAM5[Resource::<${REPORT_BUCKET_LOGICAL_ID}.Arn>/${CHECKPOINT_PREFIX}*]`,
    reason:
      'Each orchestrated run keeps its progress under checkpoints/<org>/<runId>: s3:GetObject and ' +
      "s3:PutObject only, on that prefix of the stack's own bucket; no delete (a lifecycle rule expires them).",
  });
  Validations.of(role).acknowledge({
    id: `AwsSolutions-IAM5[Resource::<${REPORT_BUCKET_LOGICAL_ID}.Arn>/${REPORT_PAGE_PREFIX}*]`,
    reason:
      'Each scan writes its page under scans/<org>/<scanId>: s3:PutObject only, on that prefix of the ' +
      "stack's own report bucket; no read, no delete, no other bucket.",
  });
}

function acknowledgeGrantWildcards(role: iam.Role): void {
  const kmsReason =
    'Added by grant* for the one customer managed key of this stack (resource is that key ARN, not *): ' +
    'DynamoDB, SNS and SQS need data-key generation and re-encryption with it.';
  Validations.of(role).acknowledge(
    { id: 'AwsSolutions-IAM5[Action::kms:GenerateDataKey*]', reason: kmsReason },
    { id: 'AwsSolutions-IAM5[Action::kms:ReEncrypt*]', reason: kmsReason },
    {
      id: `AwsSolutions-IAM5[Resource::<${SCAN_HISTORY_TABLE_LOGICAL_ID}.Arn>/index/*]`,
      reason:
        'Added by grantReadWriteData for the indexes of the one scan-history table (its "history" index ' +
        'answers "the history of one finding"); no other table is reachable.',
    },
  );
}
