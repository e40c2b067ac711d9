import { randomUUID } from 'node:crypto';
import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import { getSecret } from '@aws-lambda-powertools/parameters/secrets';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SNSClient } from '@aws-sdk/client-sns';
import { parseConfig, type ScannerConfig } from './config';
import { ConfigError, CredentialsError, ScanFailedError } from './errors';
import { type JobDeps, type JobResult, runJob } from './job';
import { parseOktaSecret } from './okta/connection';
import { scan, validateRuleIds, whatIfReport } from './scan';
import { DynamoFindingStore } from './sinks/dynamo-store';
import { SnsNotifier } from './sinks/sns-notifier';
import { whatIf } from './whatif';

// The Lambda entry point, kept thin: read the environment the stack set, build the adapters,
// and hand over to runJob(), the same path the tests drive.

const logger = new Logger({ serviceName: process.env.POWERTOOLS_SERVICE_NAME ?? 'okta-ownership-scanner' });
const metrics = new Metrics({
  namespace: process.env.POWERTOOLS_METRICS_NAMESPACE ?? 'OktaOwnershipScanner',
  serviceName: process.env.POWERTOOLS_SERVICE_NAME ?? 'okta-ownership-scanner',
});

const SECRET_READ_ADVICE: Record<string, string> = {
  AccessDeniedException:
    "the function's role may not read it (it needs secretsmanager:GetSecretValue on the secret and kms:Decrypt on its key)",
  ResourceNotFoundException: 'there is no such secret: check OKTA_SECRET_ARN and the region',
  DecryptionFailure: 'Secrets Manager could not decrypt it with its KMS key',
  InvalidRequestException: 'the secret cannot be read now (scheduled for deletion?)',
};

/**
 * Names what went wrong reading the secret. Powertools wraps the SDK's error in a
 * GetParameterError; the SDK's own error name (AccessDeniedException, …) is what a person acts on.
 * AWS error messages carry no secret value.
 */
function secretReadProblem(error: unknown): string {
  const inner = ((error as { cause?: unknown } | null)?.cause ?? error) as { name?: unknown; message?: unknown };
  const name = typeof inner?.name === 'string' ? inner.name : 'Error';
  const detail = SECRET_READ_ADVICE[name] ?? (typeof inner?.message === 'string' ? inner.message : '');
  return detail ? `${name}: ${detail}` : name;
}

interface Environment {
  tableName: string;
  topicArn: string;
  secretArn: string;
  config: ScannerConfig;
}

function readEnvironment(env: NodeJS.ProcessEnv): Environment {
  const problems = ['TABLE_NAME', 'TOPIC_ARN', 'OKTA_SECRET_ARN']
    .filter((name) => !env[name])
    .map((name) => `${name}: not set (the stack sets it)`);
  let config: unknown = {};
  try {
    config = env.SCANNER_CONFIG ? JSON.parse(env.SCANNER_CONFIG) : {};
  } catch {
    problems.push('SCANNER_CONFIG: not valid JSON');
  }
  if (problems.length > 0) throw new ConfigError('The function is misconfigured', problems);
  return {
    tableName: env.TABLE_NAME!,
    topicArn: env.TOPIC_ARN!,
    secretArn: env.OKTA_SECRET_ARN!,
    config: parseConfig(config, 'SCANNER_CONFIG'),
  };
}

export async function handler(event: unknown): Promise<JobResult> {
  const env = readEnvironment(process.env);
  const scanId = randomUUID();
  logger.appendKeys({ scanId });
  const deps: JobDeps = {
    config: env.config,
    store: new DynamoFindingStore({
      client: new DynamoDBClient({}),
      tableName: env.tableName,
      retentionDays: env.config.historyRetentionDays,
    }),
    notifier: new SnsNotifier({ client: new SNSClient({}), topicArn: env.topicArn }),
    async loadConnection() {
      // Read once per invocation (forceFetch): a secret updated between nightly runs takes effect.
      let secret: unknown;
      try {
        secret = await getSecret(env.secretArn, { forceFetch: true });
      } catch (cause) {
        throw new CredentialsError(`Could not read the Okta secret ${env.secretArn}: ${secretReadProblem(cause)}`, {
          cause,
        });
      }
      if (secret !== undefined && typeof secret !== 'string') {
        throw new CredentialsError(
          `The Okta secret ${env.secretArn} is binary: store it as a SecretString holding JSON (see the README)`,
        );
      }
      return parseOktaSecret(secret);
    },
    scan,
    whatIf: (result, user) => {
      const now = new Date(result.report.startedAt);
      const answer = whatIf(result.inventory, result.report.findings, user, {
        serviceAccounts: env.config.serviceAccounts,
      });
      return whatIfReport(result.report, result.inventory, user, now, answer);
    },
    checkRuleIds: validateRuleIds,
    log: {
      info: (message, extra) => logger.info(message, { ...extra }),
      warn: (message, extra) => logger.warn(message, { ...extra }),
      error: (message, extra) => logger.error(message, { ...extra }),
    },
    metrics: {
      count: (name, value) => metrics.addMetric(name, MetricUnit.Count, value),
      duration: (name, ms) => metrics.addMetric(name, MetricUnit.Milliseconds, ms),
    },
    now: () => new Date(),
    newScanId: () => scanId,
    recordPointer: `DynamoDB table ${env.tableName}, scan ${scanId}`,
  };
  try {
    const result = await runJob(event, deps);
    if (result.mode === 'scan' && result.status === 'failed') {
      // Surfaces as a function error: the Errors alarm fires and the schedule's DLQ keeps the event.
      throw new ScanFailedError(`Scan ${scanId} failed: ${result.failureReason}`);
    }
    return result;
  } finally {
    metrics.publishStoredMetrics();
    logger.removeKeys(['scanId']);
  }
}
