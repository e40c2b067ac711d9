import { GetSecretValueCommand } from '@aws-sdk/client-secrets-manager';
import { PublishCommand } from '@aws-sdk/client-sns';
import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ScanFailedError } from '../../lambda/errors';
import { createHandler } from '../../lambda/handler';
import type { ScanSummary } from '../../lambda/modes/scan';
import { keys, LOCK_SK } from '../../lambda/sinks/dynamo-keys';
import { serviceAppKey } from '../support/service-app-keys';
import { fastOktaClient } from './support/fast-okta-client';
import { expectNoSecret } from './support/invariants';
import {
  type CaseWorld,
  captureOutput,
  jsonLines,
  metrics,
  OKTA_TOKEN,
  type OutputCapture,
  publishedDigests,
  type Servers,
  scanRecords,
  secretsManager,
  sns,
  startCase,
  startServers,
  tableText,
  useSecret,
} from './support/world';

// The AWS rows of the fault matrix: the secret, the history table and the topic failing under
// the unmodified handler. Each row runs after a clean scan of the org, and shows the scan fails
// (or completes) visibly, leaves a record, resolves nothing, and writes no secret anywhere.

/** The store's batch-write backoffs since the clean scan, recorded instead of slept. */
const dynamoWaits: number[] = [];
// The unmodified handler, with a short Okta timeout and no real backoff anywhere.
const handler = createHandler({
  sleep: async (ms) => {
    dynamoWaits.push(ms);
  },
  oktaClient: fastOktaClient,
});

const SCHEDULED = { source: 'aws.events', 'detail-type': 'Scheduled Event' };
const PASSWORD = 'hunter2-fault-matrix-password';
const serviceApp = serviceAppKey('trusted');
const KEY_BODY = serviceApp.privateKeyPem.split('\n')[5];
const SECRETS = [OKTA_TOKEN, PASSWORD, KEY_BODY];

let servers: Servers;
let world: CaseWorld | undefined;
let output: OutputCapture;

beforeAll(async () => {
  output = captureOutput();
  servers = await startServers();
});
afterAll(async () => {
  output.restore();
  await servers.close();
});
afterEach(async () => {
  await world?.close();
  world = undefined;
});

interface Before {
  world: CaseWorld;
  clean: ScanSummary;
  open: string[];
}

/** A fresh org with one clean, recorded scan; output, SNS and request logs start afresh. */
async function afterCleanScan(): Promise<Before> {
  world = await startCase(servers);
  const clean = (await handler(SCHEDULED)) as ScanSummary;
  expect(clean.status).toBe('complete');
  const open = (await servers.store.openFindings(world.org)).map((o) => o.finding.id).sort();
  expect(open.length).toBeGreaterThan(5);
  sns.resetHistory();
  world.fake.resetRequests();
  dynamoWaits.length = 0;
  output.mark();
  return { world, clean, open };
}

async function failure(run: Promise<unknown>): Promise<Error> {
  const outcome = await run.then(
    () => null,
    (e: unknown) => e as Error,
  );
  expect(outcome, 'the invocation fails (the Errors alarm fires)').toBeInstanceOf(ScanFailedError);
  return outcome!;
}

async function expectHistoryUntouched(before: Before): Promise<void> {
  const open = (await servers.store.openFindings(before.world.org)).map((o) => o.finding.id).sort();
  expect(open).toEqual(before.open);
}

function logged(message: string): Record<string, unknown>[] {
  return jsonLines(output.sinceMark()).filter((l) => l.message === message);
}

function expectNoSecretAnywhere(extra: string[] = []): void {
  expectNoSecret([...output.sinceMark(), ...publishedDigests().map((d) => d.raw), ...extra].join('\n'), SECRETS);
}

const awsError = (name: string, message: string): Error => Object.assign(new Error(message), { name });

describe('a secret that cannot be used, after a clean scan', () => {
  it.each([
    [
      'access denied',
      () => awsError('AccessDeniedException', 'not authorized to perform: secretsmanager:GetSecretValue'),
      'AccessDeniedException',
    ],
    [
      'missing',
      () => awsError('ResourceNotFoundException', "Secrets Manager can't find the specified secret."),
      'ResourceNotFoundException',
    ],
    ['not decryptable', () => awsError('DecryptionFailure', 'KMS key is disabled'), 'DecryptionFailure'],
    [
      'truncated JSON holding the token',
      () => `{"orgUrl":"https://acme.okta.com","apiToken":"${OKTA_TOKEN}"`,
      'not valid JSON',
    ],
    ['without apiToken', () => JSON.stringify({ orgUrl: 'https://acme.okta.com' }), 'missing field: apiToken'],
    [
      'a service app without its key',
      () => JSON.stringify({ orgUrl: 'https://acme.okta.com', clientId: '0oa1' }),
      'missing field: privateKey',
    ],
    [
      'with a password beside the token',
      () => JSON.stringify({ orgUrl: 'https://acme.okta.com', apiToken: OKTA_TOKEN, password: PASSWORD }),
      'unexpected field(s): password',
    ],
    [
      'with an http:// org URL that is not loopback',
      () => JSON.stringify({ orgUrl: 'http://acme.okta.com', apiToken: OKTA_TOKEN }),
      'must use https://',
    ],
    [
      'with a private key as the org URL',
      () => JSON.stringify({ orgUrl: serviceApp.privateKeyPem, apiToken: OKTA_TOKEN }),
      'orgUrl',
    ],
    ['binary', () => new Uint8Array([123, 125]), 'is binary'],
  ])('fails visibly when the secret is %s, and resolves nothing', async (_, secret, problem) => {
    const before = await afterCleanScan();
    const value = secret();
    secretsManager.reset();
    if (value instanceof Error) secretsManager.on(GetSecretValueCommand).rejects(value);
    else if (value instanceof Uint8Array) secretsManager.on(GetSecretValueCommand).resolves({ SecretBinary: value });
    else useSecret(value);

    const error = await failure(handler(SCHEDULED));

    expect(error.message).toContain(problem);
    expect(world!.fake.requests).toEqual([]);
    // Recorded under the org the secret pointed at in the clean scan, beside that org's history.
    const [record, clean] = await scanRecords(servers, before.world.org);
    expect(record).toMatchObject({ status: 'failed' });
    expect(String(record.failureReason)).toContain(problem);
    expect(clean).toMatchObject({ scanId: before.clean.scanId, status: 'complete' });
    expect(await scanRecords(servers, 'unknown')).toEqual([]);
    await expectHistoryUntouched(before);
    const [digest] = publishedDigests();
    expect(digest.attributes.status).toBe('failed');
    expect(metrics(output.sinceMark()).ScanFailed).toBe(1);
    expectNoSecretAnywhere([error.message, await tableText(servers)]);
  });
});

describe('DynamoDB under pressure', () => {
  it('records the scan when throttled writes succeed on the SDK retry', async () => {
    const before = await afterCleanScan();
    servers.dynamo.fault({ operation: 'BatchWriteItem', kind: 'throttle', times: 2 });
    world!.fake.org.apiTokens = world!.fake.org.apiTokens.filter((t) => t.id !== '00Tbob00000000000002');

    const result = (await handler(SCHEDULED)) as ScanSummary;

    expect(result.status).toBe('complete');
    expect(servers.dynamo.calls.filter((c) => c.faulted)).toHaveLength(2);
    expect((await scanRecords(servers, before.world.org))[0]).toMatchObject({
      scanId: result.scanId,
      status: 'complete',
    });
    expect(await servers.store.scanFindings(result.scanId)).toHaveLength(
      Object.values(result.summary!.byStatus).reduce((a, b) => a + b, 0),
    );
    // The deleted token's violations resolve: a complete scan saw it gone.
    expect(result.changes!.RESOLVED).toBeGreaterThan(0);
  });

  it('fails visibly when every DynamoDB call is throttled, announces it, and resolves nothing', async () => {
    const before = await afterCleanScan();
    servers.dynamo.fault({ operation: '*', kind: 'throttle' });
    world!.fake.org.apiTokens = [];
    // One SDK retry per call instead of two: the row is about what happens once retries run out.
    process.env.AWS_MAX_ATTEMPTS = '2';

    const error = await failure(handler(SCHEDULED)).finally(() => {
      delete process.env.AWS_MAX_ATTEMPTS;
    });
    servers.dynamo.clear();

    expect(error.message).toMatch(/ProvisionedThroughputExceeded|throughput/i);
    expect(logged('scan failed')).toHaveLength(1);
    expect(logged('could not record the failed scan')).toHaveLength(1);
    await expectHistoryUntouched(before);
    const [digest] = publishedDigests();
    expect(digest.attributes.status).toBe('failed');
    // The store could not say what stays open, so the digest gives no count rather than a wrong one.
    expect(digest.email).not.toContain('STILL OPEN');
    expect(metrics(output.sinceMark()).ScanFailed).toBe(1);
    expectNoSecretAnywhere();
  });

  it('records the scan when a batch write leaves items unprocessed at first', async () => {
    const before = await afterCleanScan();
    servers.dynamo.fault({ operation: 'BatchWriteItem', kind: 'unprocessed', times: 3 });

    const result = (await handler(SCHEDULED)) as ScanSummary;

    expect(result.status).toBe('complete');
    expect(result.changes).toMatchObject({ NEW: 0, REGRESSED: 0, RESOLVED: 0 });
    expect(servers.dynamo.calls.filter((c) => c.faulted)).toHaveLength(3);
    expect(dynamoWaits, 'one backoff before each re-send').toHaveLength(3);
    expect(await servers.store.scanFindings(result.scanId)).toHaveLength(
      Object.values(result.summary!.byStatus).reduce((a, b) => a + b, 0),
    );
    await expectHistoryUntouched(before);
  });

  it('fails visibly when batch items stay unprocessed, keeps a failed record and resolves nothing', async () => {
    const before = await afterCleanScan();
    servers.dynamo.fault({ operation: 'BatchWriteItem', kind: 'unprocessed' });
    world!.fake.org.apiTokens = [];

    const error = await failure(handler(SCHEDULED));
    servers.dynamo.clear();

    expect(error.message).toMatch(/unprocessed after 8 attempts/);
    // Each batch waited between its 8 attempts, longer each time (about 6 s when really slept).
    const steps = [...new Set(dynamoWaits)].sort((a, b) => a - b);
    expect(steps).toHaveLength(7);
    expect(dynamoWaits.length % steps.length).toBe(0);
    const [record] = await scanRecords(servers, before.world.org);
    expect(record).toMatchObject({ status: 'failed' });
    expect(String(record.failureReason)).toMatch(/unprocessed/);
    await expectHistoryUntouched(before);
    const [digest] = publishedDigests();
    expect(digest.attributes.status).toBe('failed');
    expect(digest.email).toContain(`${before.open.length} violations are still open`);
  });
});

describe('an overlapping run', () => {
  it('refuses to record while another run holds the lock, leaves the lock and the history alone', async () => {
    const before = await afterCleanScan();
    const lock = { pk: keys.orgPk(before.world.org), sk: LOCK_SK };
    const expires = Date.now() + 600_000;
    await servers.doc.send(
      new PutCommand({
        TableName: servers.db.tableName,
        Item: { ...lock, holder: 'other-run', holderStartedAt: new Date().toISOString(), lockExpiresAt: expires },
      }),
    );
    world!.fake.org.apiTokens = [];

    const error = await failure(handler(SCHEDULED));

    expect(error.message).toMatch(/Another scan \(other-run\) of 127\.0\.0\.1:\d+ is recording history/);
    const { Item } = await servers.doc.send(new GetCommand({ TableName: servers.db.tableName, Key: lock }));
    expect(Item).toMatchObject({ holder: 'other-run', lockExpiresAt: expires });
    const [record] = await scanRecords(servers, before.world.org);
    expect(record).toMatchObject({ status: 'failed' });
    await expectHistoryUntouched(before);
    expect(publishedDigests()[0].attributes.status).toBe('failed');
  });

  it('refuses to record a scan older than one already recorded, so history never goes back', async () => {
    const before = await afterCleanScan();
    const lock = { pk: keys.orgPk(before.world.org), sk: LOCK_SK };
    await servers.doc.send(
      new PutCommand({
        TableName: servers.db.tableName,
        Item: { ...lock, lastScanId: 'newer-run', lastStartedAt: '2999-01-01T00:00:00.000Z' },
      }),
    );
    world!.fake.org.apiTokens = [];

    const error = await failure(handler(SCHEDULED));

    expect(error.message).toMatch(/A newer scan \(newer-run, .*\) .* is already recorded/);
    await expectHistoryUntouched(before);
  });
});

describe('SNS refusing the digest', () => {
  it('keeps the incomplete scan recorded, logs and counts the failed publish', async () => {
    const before = await afterCleanScan();
    sns.on(PublishCommand).rejects(awsError('ThrottledException', 'Rate exceeded'));
    world!.fake.fault({ route: '/api/v1/agentPools', fault: { kind: 'status', status: 403 } });

    const result = (await handler(SCHEDULED)) as ScanSummary;

    expect(result).toMatchObject({ status: 'incomplete', notified: false });
    expect((await scanRecords(servers, before.world.org))[0]).toMatchObject({
      scanId: result.scanId,
      status: 'incomplete',
    });
    await expectHistoryUntouched(before);
    const [failed] = logged('could not publish the digest');
    expect(failed).toMatchObject({ level: 'ERROR', scanId: result.scanId });
    expect(String(failed.reason)).toContain('ThrottledException');
    const counted = metrics(output.sinceMark());
    expect(counted.NotificationFailed).toBe(1);
    expect(counted.NotificationSent).toBeUndefined();
  });

  it('still fails the invocation and keeps the failed record when neither the secret nor SNS works', async () => {
    const before = await afterCleanScan();
    secretsManager.reset();
    secretsManager.on(GetSecretValueCommand).rejects(awsError('AccessDeniedException', 'denied'));
    sns.on(PublishCommand).rejects(awsError('AuthorizationErrorException', 'not authorized to perform SNS:Publish'));

    await failure(handler(SCHEDULED));

    expect((await scanRecords(servers, before.world.org))[0]).toMatchObject({ status: 'failed' });
    await expectHistoryUntouched(before);
    expect(logged('could not publish the digest')).toHaveLength(1);
    expect(metrics(output.sinceMark()).NotificationFailed).toBe(1);
  });
});
