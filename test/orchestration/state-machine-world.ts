import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type BuiltLambda, resolveEnvironment, synthBuiltLambda } from '../bundle/built-lambda';
import { type RunningDynalite, startDynalite } from '../support/dynalite';
import { type RunningS3, startS3 } from '../support/s3-server';
import { type SecretsManagerServer, startSecretsManager } from '../support/secrets-manager-server';
import { type SnsServer, startSns } from '../support/sns-server';
import { type AslDefinition, stateMachineDefinition } from '../support/state-machine-definition';
import { type BuiltLambdaTasksOptions, builtLambdaTasks, type TaskInvocation } from './built-lambda-tasks';
import { type LocalExecution, runLocally } from './local-execution';

// One deployment on loopback: the app synthesised once with bundling and a config of several
// orgs, its state machine definition from the same template, and the real parts the function
// talks to (dynalite, s3rver as the artifact bucket, Secrets Manager holding one secret per org,
// SNS). Each org's Okta is a fake server the test starts and names in the org's secret.

/** The configured orgs; each test runs the ones it names in the execution input. */
export const ORGS = ['acme-demo', 'acme-large', 'acme-crash', 'acme-preview', 'acme-broken', 'acme-limited'] as const;
export type OrgName = (typeof ORGS)[number];

const secretOf = (org: OrgName): string => `okta-scanner/${org}`;

/** The stack's own secret and topic, as the function's environment names them. */
const SECRET_ARN = 'arn:aws:secretsmanager:us-east-1:123456789012:secret:okta-scanner-AbCdEf';
export const TOPIC_ARN = 'arn:aws:sns:us-east-1:123456789012:okta-scan';

/** A Retry's pause (the definition says 2 s, then 4 s): the retry is what the tests look at, not its pause. */
const RETRY_PAUSE_MS = 200;

export interface ExecutionRun {
  execution: LocalExecution;
  invocations: TaskInvocation[];
}

export type ExecuteOptions = Pick<
  BuiltLambdaTasksOptions,
  'remainingMs' | 'onStart' | 'afterInvocation' | 'maxCollectSteps'
>;

export interface StateMachineWorld {
  built: BuiltLambda;
  definition: AslDefinition;
  db: RunningDynalite;
  s3: RunningS3;
  sns: SnsServer;
  secrets: SecretsManagerServer;
  /** Points the org's secret at an Okta org URL with this API token. */
  useOrg(org: OrgName, orgUrl: string, apiToken: string): void;
  /** Starts an execution with this input and waits for it to end. */
  execute(input: Record<string, unknown>, options?: ExecuteOptions): Promise<ExecutionRun>;
  close(): Promise<void>;
}

function configContext(dir: string): Record<string, string> {
  const configFile = join(dir, 'scanner-config.json');
  const orgs = ORGS.map((name) => ({ name, secret: secretOf(name) }));
  writeFileSync(configFile, JSON.stringify({ orgs }));
  return { configFile };
}

export async function startStateMachineWorld(): Promise<StateMachineWorld> {
  const dir = mkdtempSync(join(tmpdir(), 'okta-scan-sfn-'));
  const built = synthBuiltLambda({ context: configContext(dir) });
  const [db, s3, sns, secrets] = await Promise.all([
    startDynalite(),
    startS3(),
    startSns(),
    startSecretsManager(SECRET_ARN),
  ]);
  const env = {
    ...resolveEnvironment(built, {
      tableName: db.tableName,
      topicArn: TOPIC_ARN,
      secretArn: SECRET_ARN,
      bucketName: s3.bucket,
    }),
    AWS_REGION: 'us-east-1',
    // s3rver's own credentials; the other loopback services take any.
    AWS_ACCESS_KEY_ID: 'S3RVER',
    AWS_SECRET_ACCESS_KEY: 'S3RVER',
    AWS_ENDPOINT_URL_S3: s3.endpoint,
    AWS_ENDPOINT_URL_DYNAMODB: db.endpoint,
    AWS_ENDPOINT_URL_SECRETS_MANAGER: secrets.endpoint,
    AWS_ENDPOINT_URL_SNS: sns.endpoint,
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
  };
  const definition = stateMachineDefinition(built.template);
  return {
    built,
    definition,
    db,
    s3,
    sns,
    secrets,
    useOrg: (org, orgUrl, apiToken) => secrets.putSecret(secretOf(org), JSON.stringify({ orgUrl, apiToken })),
    execute: async (input, options = {}) => {
      const { tasks, invocations } = builtLambdaTasks({
        bundle: join(built.assetDir, 'index.js'),
        env,
        ...options,
      });
      const retryIntervals = { Collect: RETRY_PAUSE_MS, Finish: RETRY_PAUSE_MS };
      const execution = await runLocally(definition, input, { tasks, retryIntervals });
      return { execution, invocations };
    },
    close: async () => {
      built.remove();
      rmSync(dir, { recursive: true, force: true });
      await Promise.all([db.close(), s3.close(), sns.close(), secrets.close()]);
    },
  };
}
