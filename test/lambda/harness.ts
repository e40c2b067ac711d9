import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { DynamoDBDocumentClient, QueryCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { loadOrg, startFakeOkta } from '../../fake-okta/server';
import type { FakeCredentials, FakeOkta, FakeOrgFixture } from '../../fake-okta/types';
import { DynamoFindingStore } from '../../lambda/sinks/dynamo-store';
import { type RunningDynalite, startDynalite } from '../support/dynalite';

// Everything a handler test needs around the unmodified handler: dynalite reached through
// AWS_ENDPOINT_URL_DYNAMODB, a loopback fake Okta, mocked Secrets Manager and SNS, and every
// line written to stdout/stderr (Powertools Logger and Metrics print JSON lines there).

/** Test values, not secrets: the tests prove they never reach a log line, an error or a digest. */
export const OKTA_TOKEN = 'ssws-lambda-test-token-9f3c2a7e51';
export const SECRET_ARN = 'arn:aws:secretsmanager:us-east-1:123456789012:secret:okta-scanner-AbCdEf';
export const TOPIC_ARN = 'arn:aws:sns:us-east-1:123456789012:okta-scan';

export const secretsManager = mockClient(SecretsManagerClient);
export const sns = mockClient(SNSClient);

export interface LambdaWorld {
  fake: FakeOkta;
  db: RunningDynalite;
  store: DynamoFindingStore;
  doc: DynamoDBDocumentClient;
  /** The host a scan records the org under, e.g. 127.0.0.1:41234. */
  org: string;
  close(): Promise<void>;
}

const ENV_NAMES = ['TABLE_NAME', 'AWS_ENDPOINT_URL_DYNAMODB', 'TOPIC_ARN', 'OKTA_SECRET_ARN', 'SCANNER_CONFIG'];

export async function startWorld(
  options: { config?: object; credentials?: FakeCredentials; org?: FakeOrgFixture; logClock?: () => number } = {},
): Promise<LambdaWorld> {
  const [fake, db] = await Promise.all([
    startFakeOkta({
      org: options.org ?? loadOrg('demo'),
      credentials: options.credentials ?? { apiTokens: [{ token: OKTA_TOKEN }] },
      logClock: options.logClock,
    }),
    startDynalite(),
  ]);
  process.env.TABLE_NAME = db.tableName;
  process.env.AWS_ENDPOINT_URL_DYNAMODB = db.endpoint;
  process.env.TOPIC_ARN = TOPIC_ARN;
  process.env.OKTA_SECRET_ARN = SECRET_ARN;
  process.env.SCANNER_CONFIG = JSON.stringify(options.config ?? {});
  useSecret(JSON.stringify({ orgUrl: fake.url, apiToken: OKTA_TOKEN }));
  sns.on(PublishCommand).resolves({ MessageId: 'message-1' });
  const store = new DynamoFindingStore({ client: db.client, tableName: db.tableName, retentionDays: 400 });
  return {
    fake,
    db,
    store,
    doc: DynamoDBDocumentClient.from(db.client),
    org: new URL(fake.url).host,
    close: async () => {
      for (const name of ENV_NAMES) delete process.env[name];
      secretsManager.reset();
      sns.reset();
      await Promise.all([fake.close(), db.close()]);
    },
  };
}

export function useSecret(secretString: string): void {
  secretsManager.reset();
  secretsManager
    .on(GetSecretValueCommand)
    .resolves({ ARN: SECRET_ARN, Name: 'okta-scanner', SecretString: secretString });
}

export function secretReads(): number {
  return secretsManager.commandCalls(GetSecretValueCommand).length;
}

export interface PublishedDigest {
  subject: string;
  messageStructure: string | undefined;
  attributes: Record<string, string | undefined>;
  email: string;
  json: {
    status: string;
    severity: string;
    failure: string | null;
    errors: { source: string; message: string; requiredScope?: string }[];
    counts: Record<string, number | null>;
    violations: { id: string; ruleId: string; state: string }[];
    resolved: { id: string; ruleId: string; resource: { id: string } }[];
  };
  /** The raw SNS Message, to search for what must never be in it. */
  raw: string;
}

export function publishedDigests(): PublishedDigest[] {
  return sns.commandCalls(PublishCommand).map((call) => {
    const input = call.args[0].input;
    const message = JSON.parse(input.Message ?? '{}') as { email: string; default: string };
    return {
      subject: input.Subject ?? '',
      messageStructure: input.MessageStructure,
      attributes: Object.fromEntries(
        Object.entries(input.MessageAttributes ?? {}).map(([name, value]) => [name, value.StringValue]),
      ),
      email: message.email,
      json: JSON.parse(message.default),
      raw: `${input.Subject}\n${input.Message}`,
    };
  });
}

/** Every item in the table, as the document client returns them. */
export async function tableItems(world: LambdaWorld): Promise<Record<string, unknown>[]> {
  const { Items } = await world.doc.send(new ScanCommand({ TableName: world.db.tableName }));
  return Items ?? [];
}

/** The org's scan records, newest first (Query pk=ORG#<org>, sk begins_with SCAN#). */
export async function scanRecords(world: LambdaWorld, org = world.org): Promise<Record<string, unknown>[]> {
  const { Items } = await world.doc.send(
    new QueryCommand({
      TableName: world.db.tableName,
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :scan)',
      ExpressionAttributeValues: { ':pk': `ORG#${org}`, ':scan': 'SCAN#' },
      ScanIndexForward: false,
    }),
  );
  return Items ?? [];
}

/** Collapses the email's word wrapping so a sentence can be searched for. */
export function unwrapped(text: string): string {
  return text.replace(/\s+/g, ' ');
}

export { captureOutput, type OutputCapture } from '../support/output-capture';
