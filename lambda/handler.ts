import { randomUUID } from 'node:crypto';
import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import { parseConfig, type ScannerConfig } from './config';
import { ConfigError, CredentialsError, ScanFailedError } from './errors';
import { sourcesFor } from './evaluate';
import { FUNCTION_ENV, METRICS_NAMESPACE, SERVICE_NAME } from './function-contract';
import { type JobDeps, type JobResult, runJob } from './job';
import { parseOktaSecret } from './okta/connection';
import type { DynamoFindingStore } from './sinks/dynamo-store';

// The Lambda entry point, kept thin: read the environment the stack set, build the adapters,
// and hand over to runJob(), the same path the tests drive. What only a run needs (the AWS
// clients, the Okta SDK and collectors, the what-if code) is loaded on first use, not at module
// load: esbuild still bundles each import() into the one CJS file, evaluated when first called.

const logger = new Logger({ serviceName: process.env[FUNCTION_ENV.serviceName] ?? SERVICE_NAME });
const metrics = new Metrics({
  namespace: process.env[FUNCTION_ENV.metricsNamespace] ?? METRICS_NAMESPACE,
  serviceName: process.env[FUNCTION_ENV.serviceName] ?? SERVICE_NAME,
});

const SECRET_READ_ADVICE: Record<string, string> = {
  AccessDeniedException:
    "the function's role may not read it (it needs secretsmanager:GetSecretValue on the secret and kms:Decrypt on its key)",
  ResourceNotFoundException: `there is no such secret: check ${FUNCTION_ENV.oktaSecretArn} and the region`,
  DecryptionFailure: 'Secrets Manager could not decrypt it with its KMS key',
  InvalidRequestException: 'the secret cannot be read now (scheduled for deletion?)',
};

/**
 * Names what went wrong reading the secret. Powertools wraps the SDK's error in a
 * GetParameterError; the SDK's own error name (AccessDeniedException, …) is what a person acts on.
 * AWS error messages carry no secret value. `name` survives minification: AWS SDK v3 exceptions
 * set it from a string literal (the service's error code), not from the class name.
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
  const problems = [FUNCTION_ENV.tableName, FUNCTION_ENV.topicArn, FUNCTION_ENV.oktaSecretArn]
    .filter((name) => !env[name])
    .map((name) => `${name}: not set (the stack sets it)`);
  let config: unknown = {};
  const configJson = env[FUNCTION_ENV.scannerConfig];
  try {
    config = configJson ? JSON.parse(configJson) : {};
  } catch {
    problems.push(`${FUNCTION_ENV.scannerConfig}: not valid JSON`);
  }
  if (problems.length > 0) throw new ConfigError('The function is misconfigured', problems);
  return {
    tableName: env[FUNCTION_ENV.tableName]!,
    topicArn: env[FUNCTION_ENV.topicArn]!,
    secretArn: env[FUNCTION_ENV.oktaSecretArn]!,
    config: parseConfig(config, FUNCTION_ENV.scannerConfig),
  };
}

/** The history and notification adapters; their modules load on the first invocation of a container. */
async function historyAdapters(env: Environment): Promise<Pick<JobDeps, 'notifier'> & { store: DynamoFindingStore }> {
  const [{ DynamoDBClient }, { SNSClient }, { DynamoFindingStore }, { SnsNotifier }] = await Promise.all([
    import('@aws-sdk/client-dynamodb'),
    import('@aws-sdk/client-sns'),
    import('./sinks/dynamo-store.js'),
    import('./sinks/sns-notifier.js'),
  ]);
  return {
    store: new DynamoFindingStore({
      client: new DynamoDBClient({}),
      tableName: env.tableName,
      retentionDays: env.config.historyRetentionDays,
    }),
    notifier: new SnsNotifier({ client: new SNSClient({}), topicArn: env.topicArn }),
  };
}

/** Reads the secret once per invocation (forceFetch): a secret updated between nightly runs takes effect. */
async function readSecret(secretArn: string): Promise<unknown> {
  const { getSecret } = await import('@aws-lambda-powertools/parameters/secrets');
  try {
    return await getSecret(secretArn, { forceFetch: true });
  } catch (cause) {
    throw new CredentialsError(`Could not read the Okta secret ${secretArn}: ${secretReadProblem(cause)}`, {
      cause,
    });
  }
}

export async function handler(event: unknown): Promise<JobResult> {
  const env = readEnvironment(process.env);
  const scanId = randomUUID();
  logger.appendKeys({ scanId });
  const adapters = await historyAdapters(env);
  const deps: JobDeps = {
    config: env.config,
    ...adapters,
    async loadConnection() {
      const secret = await readSecret(env.secretArn);
      if (secret !== undefined && typeof secret !== 'string') {
        throw new CredentialsError(
          `The Okta secret ${env.secretArn} is binary: store it as a SecretString holding JSON (see the README)`,
        );
      }
      return parseOktaSecret(secret);
    },
    secretName: env.secretArn,
    // The store keeps the org's ledger: each scan reads the log from where the last one stopped.
    scan: async ({ recordLedger, ...options }) =>
      (await import('./ledger-scan.js')).scanWithLedger(options, {
        store: adapters.store,
        save: recordLedger === true,
      }),
    whatIf: async (result, user) => {
      const { whatIf, whatIfReport } = await import('./whatif.js');
      const now = new Date(result.report.startedAt);
      const answer = whatIf(result.inventory, result.report.findings, user, {
        serviceAccounts: env.config.serviceAccounts,
      });
      return whatIfReport(result.report, result.inventory, user, now, answer);
    },
    checkRuleIds: (ruleIds) => {
      sourcesFor(ruleIds);
    },
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
