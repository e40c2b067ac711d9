import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Finding, Report } from '../../lambda/domain/finding';
import type { FindingChange, ScanOutcome } from '../../lambda/domain/history';
import type { LogEventSummary } from '../../lambda/domain/inventory';
import type { LedgerEntry, LedgerStore, LogStream } from '../../lambda/domain/ledger';
import { ledgerKeys } from '../../lambda/sinks/dynamo-keys';
import { DynamoFindingStore, TTL_ATTRIBUTE } from '../../lambda/sinks/dynamo-store';
import { LocalStateStore } from '../../lambda/sinks/local-store';
import { type RunningDynalite, startDynalite } from '../support/dynalite';
import { historyFinding } from '../support/history-findings';

// One contract, two stores: the Lambda's DynamoDB store (on dynalite) and the CLI's local files
// (--state-dir). Both keep the ledger and the log cursor per org, and both plan the findings'
// NEW / ONGOING / RESOLVED / REGRESSED the same way.

interface StateStore extends LedgerStore {
  recordScan(outcome: ScanOutcome): Promise<FindingChange[]>;
}

let db: RunningDynalite;
let dir: string;
let orgCounter = 0;
const clock = { now: new Date('2026-03-01T02:00:00.000Z') };

beforeAll(async () => {
  db = await startDynalite();
  dir = mkdtempSync(join(tmpdir(), 'okta-state-contract-'));
});
afterAll(async () => {
  await db.close();
  rmSync(dir, { recursive: true, force: true });
});

const STORES: [string, () => StateStore][] = [
  [
    'DynamoDB (dynalite)',
    () =>
      new DynamoFindingStore({ client: db.client, tableName: db.tableName, retentionDays: 30, now: () => clock.now }),
  ],
  ['local files (--state-dir)', () => new LocalStateStore({ dir, now: () => clock.now })],
];

function event(uuid: string, published: string, eventType = 'workflows.user.connection.create'): LogEventSummary {
  return {
    uuid,
    published,
    eventType,
    outcome: { result: 'SUCCESS', reason: null },
    actor: { id: '00uAlice', type: 'User', alternateId: 'alice@acme.com', displayName: 'Alice' },
    target: [{ id: `wfc-${uuid}`, type: 'WorkflowsConnection', alternateId: null, displayName: `conn ${uuid}` }],
  };
}

function entry(uuid: string, published: string, stream: LogStream = 'workflows'): LedgerEntry {
  const e = event(uuid, published);
  return {
    stream,
    uuid,
    integration: `wfc-${uuid}`,
    account: '00uAlice',
    eventType: e.eventType,
    published,
    event: e,
  };
}

/** What an API token did, as the ledger's usage stream keeps it. */
function usageEntry(uuid: string, published: string): LedgerEntry {
  return {
    stream: 'apiTokenUsage',
    uuid,
    integration: '00Tterraform',
    account: '00uBob',
    eventType: 'group.user_membership.add',
    published,
    event: {
      uuid,
      published,
      eventType: 'group.user_membership.add',
      actor: { id: '00uBob', type: 'User', alternateId: 'bob@acme.com', displayName: 'Bob' },
      ipAddress: '10.1.2.3',
      userAgent: 'Terraform/1.9',
      apiTokenId: '00Tterraform',
    },
  };
}

function outcome(org: string, scanId: string, findings: Finding[]): ScanOutcome {
  const report: Report = {
    schemaVersion: 1,
    scanId,
    org,
    startedAt: clock.now.toISOString(),
    finishedAt: clock.now.toISOString(),
    status: 'complete',
    errors: [],
    summary: {
      byStatus: { PASS: 0, FAIL: 0, UNKNOWN: 0, SUPPRESSED: 0 },
      failBySeverity: { critical: 0, high: 0, medium: 0, low: 0, info: 0 },
    },
    findings,
  };
  return { report, rulesRun: ['api-token-owner-is-human'], completeRules: ['api-token-owner-is-human'] };
}

const states = (changes: FindingChange[]): Record<string, string> =>
  Object.fromEntries(changes.map((c) => [c.finding.id, c.state]));

describe.each(STORES)('the %s store', (_name, make) => {
  const nextOrg = (): string => `org${++orgCounter}.okta.com`;

  it('has no ledger and no cursor for an org it never saw', async () => {
    expect(await make().loadLedger(nextOrg())).toEqual({ entries: [], cursor: null });
  });

  it('gives back a usage entry with its usage event as it was given', async () => {
    const store = make();
    const org = nextOrg();
    const usage = usageEntry('u', '2026-01-20T00:00:00.000Z');
    const cursor = { since: '2026-01-01T00:00:00.000Z', until: '2026-01-21T00:00:00.000Z' };
    await store.saveLedger(org, { entries: [entry('a', '2026-01-10T00:00:00.000Z'), usage], cursor });
    const { entries } = await store.loadLedger(org);
    expect(entries.find((e) => e.uuid === 'u')).toEqual(usage);
  });

  it('gives back the entries and cursor it was given, oldest first, per org', async () => {
    const [org, other] = [nextOrg(), nextOrg()];
    const store = make();
    const later = entry('b', '2026-02-10T00:00:00.000Z');
    const earlier = entry('a', '2026-01-10T00:00:00.000Z');
    await store.saveLedger(org, {
      entries: [later, earlier],
      cursor: { since: '2026-01-01T00:00:00.000Z', until: '2026-03-01T02:00:00.000Z' },
    });
    expect(await make().loadLedger(org)).toEqual({
      entries: [earlier, later],
      cursor: { since: '2026-01-01T00:00:00.000Z', until: '2026-03-01T02:00:00.000Z' },
    });
    expect(await store.loadLedger(other)).toEqual({ entries: [], cursor: null });
  });

  it('keeps one entry per event however often it is saved', async () => {
    const org = nextOrg();
    const store = make();
    const a = entry('a', '2026-01-10T00:00:00.000Z');
    await store.saveLedger(org, {
      entries: [a],
      cursor: { since: '2026-01-01T00:00:00.000Z', until: '2026-02-01T00:00:00.000Z' },
    });
    await store.saveLedger(org, {
      entries: [a, entry('b', '2026-02-01T00:00:00.000Z')],
      cursor: { since: '2026-01-01T00:00:00.000Z', until: '2026-02-02T00:00:00.000Z' },
    });
    await store.saveLedger(org, {
      entries: [a],
      cursor: { since: '2026-01-01T00:00:00.000Z', until: '2026-02-03T00:00:00.000Z' },
    });
    expect((await store.loadLedger(org)).entries.map((e) => e.uuid)).toEqual(['a', 'b']);
  });

  it('never moves the cursor back', async () => {
    const org = nextOrg();
    const store = make();
    await store.saveLedger(org, {
      entries: [],
      cursor: { since: '2026-01-01T00:00:00.000Z', until: '2026-02-20T00:00:00.000Z' },
    });
    await store.saveLedger(org, {
      entries: [entry('old', '2026-01-01T00:00:00.000Z')],
      cursor: { since: '2026-01-01T00:00:00.000Z', until: '2026-02-10T00:00:00.000Z' },
    });
    const ledger = await store.loadLedger(org);
    expect(ledger.cursor).toEqual({ since: '2026-01-01T00:00:00.000Z', until: '2026-02-20T00:00:00.000Z' });
    // What an earlier-dated scan saw is still added.
    expect(ledger.entries.map((e) => e.uuid)).toEqual(['old']);
  });

  it('marks a failing finding NEW, then ONGOING, RESOLVED once it passes, and REGRESSED when it fails again', async () => {
    const org = nextOrg();
    const store = make();
    expect(states(await store.recordScan(outcome(org, 's1', [historyFinding('t1', 'FAIL')])))).toEqual({ t1: 'NEW' });
    clock.now = new Date(clock.now.getTime() + 86_400_000);
    expect(states(await store.recordScan(outcome(org, 's2', [historyFinding('t1', 'FAIL')])))).toEqual({
      t1: 'ONGOING',
    });
    clock.now = new Date(clock.now.getTime() + 86_400_000);
    expect(states(await store.recordScan(outcome(org, 's3', [historyFinding('t1', 'PASS')])))).toEqual({
      t1: 'RESOLVED',
    });
    clock.now = new Date(clock.now.getTime() + 86_400_000);
    expect(states(await store.recordScan(outcome(org, 's4', [historyFinding('t1', 'FAIL')])))).toEqual({
      t1: 'REGRESSED',
    });
  });
});

describe('the DynamoDB ledger items', () => {
  it('carry no TTL for authorization facts, and expire failure events once the lookback cannot reach them', async () => {
    const org = `org${++orgCounter}.okta.com`;
    const store = STORES[0][1]();
    const failure = { ...entry('f', '2026-02-01T00:00:00.000Z', 'provisioningAuthFailures') };
    const usage = usageEntry('u', '2026-02-01T00:00:00.000Z');
    await store.saveLedger(org, {
      entries: [entry('a', '2026-01-01T00:00:00.000Z'), failure, usage],
      cursor: { since: '2026-01-01T00:00:00.000Z', until: '2026-02-02T00:00:00.000Z' },
    });
    const { Items = [] } = await DynamoDBDocumentClient.from(db.client).send(
      new QueryCommand({
        TableName: db.tableName,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': ledgerKeys.pk(org) },
      }),
    );
    const byUuid = Object.fromEntries(Items.filter((i) => i.uuid).map((i) => [i.uuid, i]));
    expect(byUuid.a[TTL_ATTRIBUTE]).toBeUndefined();
    expect(byUuid.f[TTL_ATTRIBUTE]).toBe(Date.parse('2026-02-01T00:00:00.000Z') / 1000 + 91 * 86_400);
    expect(byUuid.u[TTL_ATTRIBUTE]).toBe(Date.parse('2026-02-01T00:00:00.000Z') / 1000 + 91 * 86_400);
  });
});

describe('the local store', () => {
  it('leaves no temporary file behind, and a stray one from a crashed write changes nothing', async () => {
    const local = new LocalStateStore({ dir, now: () => clock.now });
    const org = `org${++orgCounter}.okta.com`;
    await local.saveLedger(org, {
      entries: [entry('a', '2026-01-01T00:00:00.000Z')],
      cursor: { since: '2026-01-01T00:00:00.000Z', until: '2026-02-01T00:00:00.000Z' },
    });
    const folder = join(dir, org);
    expect(readdirSync(folder)).toEqual(['ledger.json']);
    writeFileSync(join(folder, 'ledger.json.123.abcd.tmp'), '{"version":1,"ledger":{"entr');
    expect((await local.loadLedger(org)).entries.map((e) => e.uuid)).toEqual(['a']);
  });

  it('drops failure and usage events older than 90 days and keeps authorization facts for good', async () => {
    const local = new LocalStateStore({ dir, now: () => new Date('2026-06-01T00:00:00.000Z') });
    const org = `org${++orgCounter}.okta.com`;
    const old = entry('fail-old', '2026-01-01T00:00:00.000Z', 'deactivationPushFailures');
    const recent = entry('fail-new', '2026-05-01T00:00:00.000Z', 'deactivationPushFailures');
    const fact = entry('fact', '2025-01-01T00:00:00.000Z');
    const oldUsage = usageEntry('used-old', '2026-01-02T00:00:00.000Z');
    const recentUsage = usageEntry('used-new', '2026-05-02T00:00:00.000Z');
    await local.saveLedger(org, {
      entries: [old, recent, fact, oldUsage, recentUsage],
      cursor: { since: '2026-01-01T00:00:00.000Z', until: '2026-06-01T00:00:00.000Z' },
    });
    expect((await local.loadLedger(org)).entries.map((e) => e.uuid)).toEqual(['fact', 'fail-new', 'used-new']);
  });

  it('refuses a state file it cannot read, naming the file and the fix', async () => {
    const local = new LocalStateStore({ dir });
    const org = `org${++orgCounter}.okta.com`;
    await local.saveLedger(org, {
      entries: [],
      cursor: { since: '2026-01-01T00:00:00.000Z', until: '2026-02-01T00:00:00.000Z' },
    });
    writeFileSync(join(dir, org, 'ledger.json'), '{ not json');
    await expect(local.loadLedger(org)).rejects.toThrow(/ledger\.json is not valid JSON[\s\S]*remove it/);
  });
});
