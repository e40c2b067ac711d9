import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { DynamoDBDocumentClient, QueryCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { startFakeOkta } from '../../../fake-okta/server';
import type { FakeOkta, FakeOrgFixture } from '../../../fake-okta/types';
import { DynamoFindingStore } from '../../../lambda/sinks/dynamo-store';
import { GOOD_TOKEN, smallOrg } from '../../okta/fixtures';
import { type RunningDynalite, startDynalite } from '../../support/dynalite';
import { type DynamoProxy, startDynamoProxy } from './dynamo-proxy';
import { type OktaProxy, startOktaProxy } from './okta-proxy';

// The handler as deployed, for the fault matrix: configured through its environment, reading
// a small fake Okta org through a proxy that can misbehave, writing to dynalite through a proxy
// that can throttle, with Secrets Manager and SNS mocked. Same pattern as test/lambda/harness.ts;
// each case gets its own org (a new Okta proxy port is a new org host, so a new history).

export const SECRET_ARN = 'arn:aws:secretsmanager:us-east-1:123456789012:secret:okta-faults-AbCdEf';
export const TOPIC_ARN = 'arn:aws:sns:us-east-1:123456789012:okta-faults';
export const OKTA_TOKEN = GOOD_TOKEN;

export const secretsManager = mockClient(SecretsManagerClient);
export const sns = mockClient(SNSClient);

export interface Servers {
  fake: FakeOkta;
  db: RunningDynalite;
  dynamo: DynamoProxy;
  store: DynamoFindingStore;
  doc: DynamoDBDocumentClient;
  close(): Promise<void>;
}

/** One fake Okta and one dynalite for a whole file; cases get their own org host on top. */
export async function startServers(): Promise<Servers> {
  const [fake, db] = await Promise.all([
    startFakeOkta({ org: smallOrg(), credentials: { apiTokens: [{ token: OKTA_TOKEN }] } }),
    startDynalite(),
  ]);
  const dynamo = await startDynamoProxy(db.endpoint);
  return {
    fake,
    db,
    dynamo,
    store: new DynamoFindingStore({ client: db.client, tableName: db.tableName, retentionDays: 400 }),
    doc: DynamoDBDocumentClient.from(db.client),
    close: async () => {
      await dynamo.close();
      await Promise.all([fake.close(), db.close()]);
    },
  };
}

export interface CaseWorld {
  servers: Servers;
  fake: FakeOkta;
  proxy: OktaProxy;
  /** The org host a scan records under (the Okta proxy's host). */
  org: string;
  close(): Promise<void>;
}

const ENV_NAMES = ['TABLE_NAME', 'AWS_ENDPOINT_URL_DYNAMODB', 'TOPIC_ARN', 'OKTA_SECRET_ARN', 'SCANNER_CONFIG'];

/** A fresh org for one case: the fixture reset, faults cleared, a new Okta proxy, the env set. */
export async function startCase(
  servers: Servers,
  options: { org?: FakeOrgFixture; config?: object } = {},
): Promise<CaseWorld> {
  const { fake, db, dynamo } = servers;
  fake.clearFaults();
  fake.resetRequests();
  fake.org = options.org ?? smallOrg();
  dynamo.clear();
  dynamo.calls.length = 0;
  const proxy = await startOktaProxy(fake.url);
  process.env.TABLE_NAME = db.tableName;
  process.env.AWS_ENDPOINT_URL_DYNAMODB = dynamo.endpoint;
  process.env.TOPIC_ARN = TOPIC_ARN;
  process.env.OKTA_SECRET_ARN = SECRET_ARN;
  process.env.SCANNER_CONFIG = JSON.stringify(options.config ?? {});
  useSecret(JSON.stringify({ orgUrl: proxy.url, apiToken: OKTA_TOKEN }));
  sns.reset();
  sns.on(PublishCommand).resolves({ MessageId: 'message-1' });
  return {
    servers,
    fake,
    proxy,
    org: new URL(proxy.url).host,
    close: async () => {
      for (const name of ENV_NAMES) delete process.env[name];
      await proxy.close();
    },
  };
}

export function useSecret(secretString: string): void {
  secretsManager.reset();
  secretsManager.on(GetSecretValueCommand).resolves({ ARN: SECRET_ARN, Name: 'okta', SecretString: secretString });
}

export interface Digest {
  subject: string;
  attributes: Record<string, string | undefined>;
  email: string;
  json: { status: string; failure: string | null; errors: { source: string }[]; counts: Record<string, number | null> };
  raw: string;
}

export function publishedDigests(): Digest[] {
  return sns.commandCalls(PublishCommand).map((call) => {
    const input = call.args[0].input;
    const message = JSON.parse(input.Message ?? '{}') as { email: string; default: string };
    return {
      subject: input.Subject ?? '',
      attributes: Object.fromEntries(
        Object.entries(input.MessageAttributes ?? {}).map(([name, value]) => [name, value.StringValue]),
      ),
      email: message.email,
      json: JSON.parse(message.default),
      raw: `${input.Subject}\n${input.Message}`,
    };
  });
}

/** The org's scan records, newest first. */
export async function scanRecords(servers: Servers, org: string): Promise<Record<string, unknown>[]> {
  const { Items } = await servers.doc.send(
    new QueryCommand({
      TableName: servers.db.tableName,
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :scan)',
      ExpressionAttributeValues: { ':pk': `ORG#${org}`, ':scan': 'SCAN#' },
      ScanIndexForward: false,
    }),
  );
  return Items ?? [];
}

/** Every item in the table, as text: to search for what must never be stored. */
export async function tableText(servers: Servers): Promise<string> {
  const { Items } = await servers.doc.send(new ScanCommand({ TableName: servers.db.tableName }));
  return JSON.stringify(Items ?? []);
}

// ---- what the function writes (Powertools Logger and Metrics print JSON lines) -------------

export { captureOutput, type OutputCapture } from '../../support/output-capture';

/** The JSON log lines among `lines`. */
export function jsonLines(lines: string[]): Record<string, unknown>[] {
  return lines.flatMap((line) => {
    try {
      const value = JSON.parse(line);
      return value && typeof value === 'object' ? [value as Record<string, unknown>] : [];
    } catch {
      return [];
    }
  });
}

/** Metric name -> the last value an EMF line gave it. */
export function metrics(lines: string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const line of jsonLines(lines)) {
    const aws = line._aws as { CloudWatchMetrics?: { Metrics: { Name: string }[] }[] } | undefined;
    for (const m of aws?.CloudWatchMetrics ?? []) for (const metric of m.Metrics) out[metric.Name] = line[metric.Name];
  }
  return out;
}
