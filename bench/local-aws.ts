import { fork } from 'node:child_process';
import { join } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { S3Client } from '@aws-sdk/client-s3';
import { SNSClient } from '@aws-sdk/client-sns';
import type { HandlerOverrides } from '../lambda/handler';
import { type LoopbackAnswer, type LoopbackServer, startLoopbackServer } from '../test/support/aws-loopback-server';
import { type SnsServer, startSns } from '../test/support/sns-server';
import type { AwsClock, AwsMessage } from './aws-process';

// The AWS side of the orchestrated benchmark, on loopback as the tests run it: dynalite for the
// history table and s3rver for the artifact bucket (checkpoints and report pages), both in a
// process of their own (aws-process.ts), SNS, and a Secrets Manager serving one secret per org.
// The handler reaches them through its test overrides (DynamoDB, S3, SNS clients) and
// AWS_ENDPOINT_URL_SECRETS_MANAGER.

export const BENCH_REGION = 'us-east-1';
const ACCOUNT = '123456789012';
export const TOPIC_ARN = `arn:aws:sns:${BENCH_REGION}:${ACCOUNT}:okta-scan-bench`;
export const secretArn = (name: string): string =>
  `arn:aws:secretsmanager:${BENCH_REGION}:${ACCOUNT}:secret:${name}-AbCdEf`;

/** Calls to a loopback AWS service and the clock time they took (overlapping calls each count). */
export interface ServiceCalls {
  calls: number;
  ms: number;
}

type Service = 'DynamoDB' | 'S3' | 'SNS';

/** Per service: a counter for each call, and what was counted since the last take. */
function callCounts(): { counter(service: Service): (ms: number) => void; take(): Record<Service, ServiceCalls> } {
  const fresh = (): Record<Service, ServiceCalls> => ({
    DynamoDB: { calls: 0, ms: 0 },
    S3: { calls: 0, ms: 0 },
    SNS: { calls: 0, ms: 0 },
  });
  let calls = fresh();
  return {
    counter: (service) => (ms) => {
      calls[service].calls += 1;
      calls[service].ms += ms;
    },
    take: () => {
      const taken = calls;
      calls = fresh();
      return taken;
    },
  };
}

interface Metered {
  middlewareStack: {
    add(
      middleware: (next: (args: unknown) => Promise<unknown>) => (args: unknown) => Promise<unknown>,
      options: object,
    ): void;
  };
}

/**
 * Counts each call a client sends and the time until its answer, in the client's middleware (the
 * DynamoDB document client the store wraps it in shares the stack).
 */
function metered<T>(client: T, count: (ms: number) => void): T {
  (client as unknown as Metered).middlewareStack.add(
    (next) => async (args) => {
      const started = Date.now();
      try {
        return await next(args);
      } finally {
        count(Date.now() - started);
      }
    },
    { step: 'initialize', name: 'benchMeter' },
  );
  return client;
}

export interface LocalAws {
  sns: SnsServer;
  secrets: LoopbackServer;
  /** What createHandler takes to use them. */
  overrides: HandlerOverrides;
  /** The calls the handler made since the last take, per service. */
  takeCalls(): Record<Service, ServiceCalls>;
  /** The function's environment, as the stack sets it, pointing at them. */
  environment(config: unknown, stackSecret: string): Record<string, string>;
  close(): Promise<void>;
}

/**
 * A loopback Secrets Manager holding several secrets (GetSecretValue by name or ARN), in the AWS
 * JSON 1.1 protocol: https://docs.aws.amazon.com/secretsmanager/latest/apireference/API_GetSecretValue.html
 */
function startSecrets(secrets: Record<string, string>): Promise<LoopbackServer> {
  const json = (status: number, body: object): LoopbackAnswer => ({
    status,
    contentType: 'application/x-amz-json-1.1',
    body: JSON.stringify(body),
  });
  return startLoopbackServer(({ headers, body }) => {
    if (headers['x-amz-target'] !== 'secretsmanager.GetSecretValue')
      return json(400, { __type: 'UnknownOperationException', message: 'only GetSecretValue is served' });
    const { SecretId = '' } = JSON.parse(body) as { SecretId?: string };
    const value = secrets[SecretId];
    if (value === undefined)
      return json(400, {
        __type: 'ResourceNotFoundException',
        message: "Secrets Manager can't find the specified secret.",
      });
    return json(200, {
      ARN: SecretId,
      Name: SecretId,
      SecretString: value,
      VersionId: 'bench-1',
      VersionStages: ['AWSCURRENT'],
    });
  });
}

function startEmulators(clock: AwsClock): Promise<{ ready: AwsMessage; close(): Promise<void> }> {
  const child = fork(join(__dirname, 'aws-process.ts'), [], {
    execArgv: ['--require', 'tsx/cjs'],
    env: { ...process.env, BENCH_AWS_CLOCK: JSON.stringify(clock) },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  return new Promise((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`the DynamoDB/S3 emulators' process exited (${code})`)));
    child.once('message', (ready: AwsMessage) =>
      resolve({
        ready,
        close: () =>
          new Promise<void>((closed) => {
            child.removeAllListeners('exit');
            child.once('exit', () => closed());
            child.send({ type: 'close' });
          }),
      }),
    );
  });
}

/** `secrets`: secret ARN → SecretString; `clock`: the bench's virtual clock, for the emulators. */
export async function startLocalAws(secrets: Record<string, string>, clock: AwsClock): Promise<LocalAws> {
  const [emulators, sns, secretServer] = await Promise.all([startEmulators(clock), startSns(), startSecrets(secrets)]);
  const { ready } = emulators;
  const dynamoClient = new DynamoDBClient({
    endpoint: ready.dynamoEndpoint,
    region: BENCH_REGION,
    credentials: { accessKeyId: 'bench', secretAccessKey: 'bench' },
  });
  // s3rver: path-style addressing and its fixed credentials (test/support/s3-server.ts).
  const s3Client = new S3Client({
    endpoint: ready.s3Endpoint,
    forcePathStyle: true,
    region: BENCH_REGION,
    credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
  });
  const { counter, take } = callCounts();
  const snsClient = new SNSClient({
    endpoint: sns.endpoint,
    region: BENCH_REGION,
    credentials: { accessKeyId: 'bench', secretAccessKey: 'bench' },
  });
  return {
    sns,
    secrets: secretServer,
    overrides: {
      dynamoClient: metered(dynamoClient, counter('DynamoDB')),
      s3Client: metered(s3Client, counter('S3')),
      snsClient: metered(snsClient, counter('SNS')),
    },
    takeCalls: take,
    environment: (config, stackSecret) => ({
      TABLE_NAME: ready.tableName,
      TOPIC_ARN: TOPIC_ARN,
      OKTA_SECRET_ARN: stackSecret,
      SCANNER_CONFIG: JSON.stringify(config),
      ARTIFACT_BUCKET: ready.bucket,
      AWS_REGION: BENCH_REGION,
      AWS_ACCESS_KEY_ID: 'bench',
      AWS_SECRET_ACCESS_KEY: 'bench',
      AWS_ENDPOINT_URL_SECRETS_MANAGER: secretServer.endpoint,
      // The steps' JSON logs and EMF metrics would bury the report; errors still show.
      POWERTOOLS_LOG_LEVEL: 'ERROR',
      POWERTOOLS_METRICS_DISABLED: 'true',
    }),
    close: async () => {
      for (const client of [snsClient, dynamoClient, s3Client]) client.destroy();
      await Promise.all([emulators.close(), sns.close(), secretServer.close()]);
    },
  };
}
