import { BatchWriteCommand, DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Finding, Report } from '../../lambda/domain/finding';
import type { FindingChange, ScanOutcome } from '../../lambda/domain/history';
import { ScanConflictError, ScannerError } from '../../lambda/errors';
import { keys } from '../../lambda/sinks/dynamo-keys';
import { DynamoFindingStore, TABLE_KEY, TTL_ATTRIBUTE } from '../../lambda/sinks/dynamo-store';
import { type RunningDynalite, startDynalite } from '../support/dynalite';
import { historyFinding } from '../support/history-findings';

const RETENTION_DAYS = 30;
const DAY = 86_400_000;

let db: RunningDynalite;
let orgCounter = 0;

beforeAll(async () => {
  db = await startDynalite();
});
afterAll(async () => {
  await db.close();
});

/** One org per test on a shared table, with a clock the test moves. */
function setup(options: { maxBatchAttempts?: number; lockTtlSeconds?: number } = {}) {
  const org = `org${++orgCounter}.okta.com`;
  const clock = { now: new Date('2026-03-01T02:00:00.000Z') };
  const sleeps: number[] = [];
  const doc = DynamoDBDocumentClient.from(db.client);
  const make = () =>
    new DynamoFindingStore({
      client: doc,
      tableName: db.tableName,
      retentionDays: RETENTION_DAYS,
      now: () => clock.now,
      sleep: async (ms) => {
        sleeps.push(ms);
      },
      ...options,
    });
  let scanCounter = 0;
  /** A report taken at the current clock; every rule in it ran completely unless told. */
  const outcome = (findings: Finding[], extra: { completeRules?: string[]; scanId?: string } = {}): ScanOutcome => {
    const startedAt = clock.now.toISOString();
    const rules = [...new Set(findings.map((f) => f.ruleId)), 'api-token-owner-is-human'];
    const report: Report = {
      schemaVersion: 1,
      scanId: extra.scanId ?? `${org}-scan-${++scanCounter}`,
      org,
      startedAt,
      finishedAt: new Date(clock.now.getTime() + 60_000).toISOString(),
      status: extra.completeRules ? 'incomplete' : 'complete',
      errors: extra.completeRules
        ? [{ source: 'apiTokens', message: 'forbidden', requiredScope: 'okta.apiTokens.read' }]
        : [],
      summary: {
        byStatus: { PASS: 0, FAIL: findings.filter((f) => f.status === 'FAIL').length, UNKNOWN: 0, SUPPRESSED: 0 },
        failBySeverity: { critical: 0, high: 0, medium: 0, low: 0, info: 0 },
      },
      findings,
    };
    return { report, rulesRun: rules, completeRules: extra.completeRules ?? rules };
  };
  const store = make();
  /** startScan + recordScan, then a day passes. */
  const scan = async (findings: Finding[], extra: { completeRules?: string[]; scanId?: string } = {}) => {
    const o = outcome(findings, extra);
    await store.startScan({ scanId: o.report.scanId, org, startedAt: o.report.startedAt });
    const changes = await store.recordScan(o);
    clock.now = new Date(clock.now.getTime() + DAY);
    return { changes, outcome: o };
  };
  return { org, clock, doc, store, make, outcome, scan, sleeps };
}

const states = (changes: FindingChange[]) =>
  Object.fromEntries(changes.map((c) => [c.finding.id, c.state])) as Record<string, string>;

describe('DynamoFindingStore: how findings change between scans', () => {
  it('reports every failing finding of the first scan as NEW', async () => {
    const t = setup();
    const { changes } = await t.scan([
      historyFinding('a', 'FAIL'),
      historyFinding('b', 'FAIL'),
      historyFinding('c', 'PASS'),
    ]);
    expect(states(changes)).toEqual({ a: 'NEW', b: 'NEW' });
    expect(changes[0].firstSeen).toBe('2026-03-01T02:00:00.000Z');
  });

  it('reports the same violations in the next scan as ONGOING, keeping firstSeen and advancing lastSeen', async () => {
    const t = setup();
    await t.scan([historyFinding('a', 'FAIL')]);
    const { changes } = await t.scan([historyFinding('a', 'FAIL')]);
    expect(changes).toEqual([
      expect.objectContaining({
        state: 'ONGOING',
        firstSeen: '2026-03-01T02:00:00.000Z',
        lastSeen: '2026-03-02T02:00:00.000Z',
      }),
    ]);
  });

  it('reports a fixed violation as RESOLVED and no longer lists it as open', async () => {
    const t = setup();
    await t.scan([historyFinding('a', 'FAIL'), historyFinding('b', 'FAIL')]);
    const { changes } = await t.scan([historyFinding('a', 'PASS'), historyFinding('b', 'FAIL')]);
    expect(states(changes)).toEqual({ a: 'RESOLVED', b: 'ONGOING' });
    const resolved = changes.find((c) => c.finding.id === 'a')!;
    expect(resolved.finding.status).toBe('FAIL');
    expect(resolved.lastSeen).toBe('2026-03-01T02:00:00.000Z');
    expect((await t.store.openFindings(t.org)).map((o) => o.finding.id)).toEqual(['b']);
  });

  it('resolves a violation whose resource is gone when its rule ran completely', async () => {
    const t = setup();
    await t.scan([historyFinding('a', 'FAIL')]);
    const { changes } = await t.scan([]);
    expect(states(changes)).toEqual({ a: 'RESOLVED' });
    expect(await t.store.openFindings(t.org)).toEqual([]);
  });

  it('reports a violation that fails again after being resolved as REGRESSED, first seen at its first sighting', async () => {
    const t = setup();
    await t.scan([historyFinding('a', 'FAIL')]);
    await t.scan([historyFinding('a', 'PASS')]);
    const { changes } = await t.scan([historyFinding('a', 'FAIL')]);
    expect(changes).toEqual([
      expect.objectContaining({
        state: 'REGRESSED',
        firstSeen: '2026-03-01T02:00:00.000Z',
        lastSeen: '2026-03-03T02:00:00.000Z',
      }),
    ]);
    const { changes: after } = await t.scan([historyFinding('a', 'FAIL')]);
    expect(states(after)).toEqual({ a: 'ONGOING' });
  });

  it('resolves nothing an incomplete scan could not see: a missing finding of an incomplete rule stays open', async () => {
    const t = setup();
    await t.scan([
      historyFinding('a', 'FAIL'),
      historyFinding('w', 'FAIL', 'workflows-connection-authorized-by-human'),
    ]);
    const { changes } = await t.scan([], { completeRules: ['workflows-connection-authorized-by-human'] });
    expect(states(changes)).toEqual({ a: 'ONGOING', w: 'RESOLVED' });
    const stillOpen = changes.find((c) => c.finding.id === 'a')!;
    expect(stillOpen.lastSeen).toBe('2026-03-01T02:00:00.000Z');
    expect((await t.store.openFindings(t.org)).map((o) => o.finding.id)).toEqual(['a']);
  });

  it('keeps a violation open while the scan can only say UNKNOWN about it', async () => {
    const t = setup();
    await t.scan([historyFinding('a', 'FAIL')]);
    const { changes } = await t.scan([historyFinding('a', 'UNKNOWN')]);
    expect(states(changes)).toEqual({ a: 'ONGOING' });
    expect(await t.store.openFindings(t.org)).toEqual([
      expect.objectContaining({ lastSeen: '2026-03-01T02:00:00.000Z' }),
    ]);
  });

  it('neither resolves nor re-announces a suppressed violation', async () => {
    const t = setup();
    await t.scan([historyFinding('a', 'FAIL')]);
    const { changes } = await t.scan([historyFinding('a', 'SUPPRESSED')]);
    expect(changes).toEqual([]);
    expect(await t.store.openFindings(t.org)).toHaveLength(1);
  });
});

describe('DynamoFindingStore: reading the history', () => {
  it('lists the latest scans of an org newest first, up to the limit', async () => {
    const t = setup();
    const ids: string[] = [];
    for (let i = 0; i < 4; i++) ids.push((await t.scan([historyFinding('a', 'FAIL')])).outcome.report.scanId);
    const latest = await t.store.latestScans(t.org, 3);
    expect(latest.map((s) => s.scanId)).toEqual([ids[3], ids[2], ids[1]]);
    expect(latest[0]).toMatchObject({ org: t.org, status: 'complete', summary: { byStatus: { FAIL: 1 } } });
  });

  it('returns every finding of one scan, whatever its verdict', async () => {
    const t = setup();
    const all = [
      historyFinding('a', 'FAIL'),
      historyFinding('b', 'PASS'),
      historyFinding('c', 'UNKNOWN'),
      historyFinding('d', 'SUPPRESSED'),
    ];
    const { outcome } = await t.scan(all);
    await t.scan([historyFinding('z', 'FAIL')]);
    expect(await t.store.scanFindings(outcome.report.scanId)).toEqual(all);
  });

  it('lists open violations with when they were first and last seen', async () => {
    const t = setup();
    await t.scan([historyFinding('a', 'FAIL')]);
    await t.scan([historyFinding('a', 'FAIL'), historyFinding('b', 'FAIL')]);
    expect(await t.store.openFindings(t.org)).toEqual([
      {
        finding: historyFinding('a', 'FAIL'),
        firstSeen: '2026-03-01T02:00:00.000Z',
        lastSeen: '2026-03-02T02:00:00.000Z',
      },
      {
        finding: historyFinding('b', 'FAIL'),
        firstSeen: '2026-03-02T02:00:00.000Z',
        lastSeen: '2026-03-02T02:00:00.000Z',
      },
    ]);
  });

  it('tells the history of one finding scan by scan, oldest first', async () => {
    const t = setup();
    const runs = [
      await t.scan([historyFinding('a', 'FAIL')]),
      await t.scan([historyFinding('a', 'UNKNOWN')]),
      await t.scan([historyFinding('a', 'PASS')]),
      await t.scan([]),
      await t.scan([historyFinding('a', 'FAIL')]),
    ];
    const history = await t.store.findingHistory(t.org, 'a');
    expect(history.map((h) => [h.scanId, h.status, h.state])).toEqual([
      [runs[0].outcome.report.scanId, 'FAIL', 'NEW'],
      [runs[1].outcome.report.scanId, 'UNKNOWN', 'ONGOING'],
      [runs[2].outcome.report.scanId, 'PASS', 'RESOLVED'],
      [runs[4].outcome.report.scanId, 'FAIL', 'REGRESSED'],
    ]);
    expect(history[0].at).toBe('2026-03-01T02:00:00.000Z');
  });

  it('records a finding that disappeared as resolved in its history', async () => {
    const t = setup();
    await t.scan([historyFinding('a', 'FAIL')]);
    const { outcome } = await t.scan([]);
    expect((await t.store.findingHistory(t.org, 'a')).at(-1)).toEqual({
      scanId: outcome.report.scanId,
      at: outcome.report.startedAt,
      status: 'PASS',
      state: 'RESOLVED',
    });
    expect(await t.store.scanFindings(outcome.report.scanId)).toEqual([]);
  });
});

describe('DynamoFindingStore: retention', () => {
  it('stamps per-scan items with expiresAt = now + retentionDays and leaves open items without one', async () => {
    const t = setup();
    const { outcome } = await t.scan([historyFinding('a', 'FAIL')]);
    const expected = Date.parse('2026-03-01T02:00:00.000Z') / 1000 + RETENTION_DAYS * 86_400;
    const query = (pk: string) =>
      t.doc.send(
        new QueryCommand({
          TableName: db.tableName,
          KeyConditionExpression: '#pk = :pk',
          ExpressionAttributeNames: { '#pk': TABLE_KEY.partitionKey },
          ExpressionAttributeValues: { ':pk': pk },
        }),
      );
    const perScan = (await query(keys.scanPk(outcome.report.scanId))).Items!;
    expect(perScan.length).toBeGreaterThan(0);
    for (const item of perScan) expect(item[TTL_ATTRIBUTE]).toBe(expected);
    const scanRecords = (await query(keys.orgPk(t.org))).Items!.filter((i) => String(i.sk).startsWith('SCAN#'));
    expect(scanRecords.map((i) => i[TTL_ATTRIBUTE])).toEqual([expected]);
    const open = (await query(keys.statePk(t.org))).Items!;
    expect(open).toHaveLength(1);
    expect(open[0]).not.toHaveProperty(TTL_ATTRIBUTE);
  });

  it('no longer returns scans and history past the retention window, even before DynamoDB deletes them', async () => {
    const t = setup();
    const { outcome } = await t.scan([historyFinding('a', 'FAIL')]);
    t.clock.now = new Date(Date.parse(outcome.report.startedAt) + (RETENTION_DAYS + 1) * DAY);
    expect(await t.store.latestScans(t.org)).toEqual([]);
    expect(await t.store.scanFindings(outcome.report.scanId)).toEqual([]);
    expect(await t.store.findingHistory(t.org, 'a')).toEqual([]);
    expect(await t.store.openFindings(t.org)).toHaveLength(1);
  });
});

/** Wraps the document client so BatchWrite leaves items unprocessed (`drop` decides how many per call). */
function throttled(doc: DynamoDBDocumentClient, drop: (call: number, size: number) => number) {
  const send = doc.send.bind(doc) as (command: unknown) => Promise<unknown>;
  const stats = { batchCalls: 0 };
  const wrapped = DynamoDBDocumentClient.from(db.client);
  wrapped.send = (async (command: unknown) => {
    if (!(command instanceof BatchWriteCommand)) return send(command);
    const [table, requests] = Object.entries(command.input.RequestItems!)[0];
    const dropped = drop(++stats.batchCalls, requests.length);
    const kept = requests.slice(0, requests.length - dropped);
    if (kept.length > 0) await send(new BatchWriteCommand({ RequestItems: { [table]: kept } }));
    return { UnprocessedItems: dropped > 0 ? { [table]: requests.slice(kept.length) } : {}, $metadata: {} };
  }) as typeof wrapped.send;
  return { client: wrapped, stats };
}

describe('DynamoFindingStore: throttled writes', () => {
  it('re-sends the items DynamoDB left unprocessed until all are written', async () => {
    const t = setup();
    const { client, stats } = throttled(t.doc, (call, size) => (call === 1 ? size - 5 : 0));
    const store = new DynamoFindingStore({
      client,
      tableName: db.tableName,
      retentionDays: RETENTION_DAYS,
      now: () => t.clock.now,
      sleep: async (ms) => {
        t.sleeps.push(ms);
      },
    });
    const findings = Array.from({ length: 30 }, (_, i) => historyFinding(`f${String(i).padStart(2, '0')}`, 'FAIL'));
    const o = t.outcome(findings);
    const changes = await store.recordScan(o);
    expect(changes).toHaveLength(30);
    expect(t.sleeps).toEqual([50]);
    expect(stats.batchCalls).toBeGreaterThan(4);
    expect(await store.scanFindings(o.report.scanId)).toHaveLength(30);
    expect(await store.openFindings(t.org)).toHaveLength(30);
  });

  it('gives up with a clear error after the bounded number of attempts, backing off exponentially', async () => {
    const t = setup();
    const { client } = throttled(t.doc, (_call, size) => size);
    const store = new DynamoFindingStore({
      client,
      tableName: db.tableName,
      retentionDays: RETENTION_DAYS,
      now: () => t.clock.now,
      sleep: async (ms) => {
        t.sleeps.push(ms);
      },
      maxBatchAttempts: 5,
    });
    const error = await store.recordScan(t.outcome([historyFinding('a', 'FAIL')])).catch((e) => e);
    expect(error).toBeInstanceOf(ScannerError);
    expect(error.message).toMatch(/1 of 1 scan-history writes unprocessed after 5 attempts/);
    expect(t.sleeps).toEqual([50, 100, 200, 400]);
  });
  it('writes nothing more once it has given up: no batch lands after recordScan rejects', async () => {
    const t = setup();
    // The first chunk never goes through; the others do, slowly.
    const { client, stats } = throttled(t.doc, (call, size) => (call === 1 ? size : 0));
    const store = new DynamoFindingStore({
      client,
      tableName: db.tableName,
      retentionDays: RETENTION_DAYS,
      now: () => t.clock.now,
      sleep: () => new Promise((resolve) => setTimeout(resolve, 5)),
      maxBatchAttempts: 1,
    });
    const findings = Array.from({ length: 400 }, (_, i) => historyFinding(`f${String(i).padStart(3, '0')}`, 'FAIL'));
    await expect(store.recordScan(t.outcome(findings))).rejects.toThrow(/unprocessed/);
    const callsWhenRejected = stats.batchCalls;
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(stats.batchCalls).toBe(callsWhenRejected);
    expect(callsWhenRejected).toBeLessThan(Math.ceil(400 / 25));
  });
});

describe('DynamoFindingStore: overlapping and interrupted scans', () => {
  it('refuses a second scan of the same org while one is running, and keeps the recorded history intact', async () => {
    const t = setup();
    await t.scan([historyFinding('a', 'FAIL')]);
    const first = t.outcome([historyFinding('a', 'FAIL'), historyFinding('b', 'FAIL')]);
    await t.store.startScan({ scanId: first.report.scanId, org: t.org, startedAt: first.report.startedAt });

    const other = t.make();
    const second = t.outcome([]);
    const refused = await other
      .startScan({ scanId: second.report.scanId, org: t.org, startedAt: second.report.startedAt })
      .catch((e) => e);
    expect(refused).toBeInstanceOf(ScanConflictError);
    expect(refused.message).toContain(`Another scan (${first.report.scanId})`);
    await expect(other.recordScan(second)).rejects.toBeInstanceOf(ScanConflictError);
    expect(await t.store.openFindings(t.org)).toHaveLength(1);
    expect(await t.store.scanFindings(second.report.scanId)).toEqual([]);

    expect(states(await t.store.recordScan(first))).toEqual({ a: 'ONGOING', b: 'NEW' });
    expect((await t.store.openFindings(t.org)).map((o) => o.finding.id)).toEqual(['a', 'b']);
  });

  it('lets a new scan run once the lock of a crashed scan has expired', async () => {
    const t = setup({ lockTtlSeconds: 600 });
    const crashed = t.outcome([historyFinding('a', 'FAIL')]);
    await t.store.startScan({ scanId: crashed.report.scanId, org: t.org, startedAt: crashed.report.startedAt });
    t.clock.now = new Date(t.clock.now.getTime() + 11 * 60_000);
    const { changes } = await t.scan([historyFinding('a', 'FAIL')]);
    expect(states(changes)).toEqual({ a: 'NEW' });
    expect((await t.store.latestScans(t.org)).map((s) => s.status)).toEqual(['complete', 'running']);
  });

  it('records an interrupted scan again under the same id with the same changes and no duplicates', async () => {
    const t = setup();
    await t.scan([historyFinding('a', 'FAIL'), historyFinding('b', 'FAIL'), historyFinding('c', 'FAIL')]);
    await t.scan([historyFinding('a', 'FAIL'), historyFinding('b', 'PASS'), historyFinding('c', 'FAIL')]);
    const o = t.outcome([historyFinding('a', 'PASS'), historyFinding('b', 'FAIL'), historyFinding('d', 'FAIL')]);
    await t.store.startScan({ scanId: o.report.scanId, org: t.org, startedAt: o.report.startedAt });
    const once = await t.store.recordScan(o);
    expect(states(once)).toEqual({ a: 'RESOLVED', b: 'REGRESSED', c: 'RESOLVED', d: 'NEW' });
    const again = await t.make().recordScan(o);
    expect(again).toEqual(once);
    expect(await t.store.latestScans(t.org)).toHaveLength(3);
    expect(await t.store.scanFindings(o.report.scanId)).toHaveLength(3);
    expect((await t.store.findingHistory(t.org, 'b')).map((h) => h.state)).toEqual(['NEW', 'RESOLVED', 'REGRESSED']);
  });

  it('gives the same changes when a scan that crashed halfway through its writes is recorded again', async () => {
    const t = setup();
    const ids = (from: number, to: number) =>
      Array.from({ length: to - from }, (_, i) => `f${String(from + i).padStart(2, '0')}`);
    await t.scan(ids(0, 30).map((id) => historyFinding(id, 'FAIL')));
    const o = t.outcome([
      ...ids(0, 15).map((id) => historyFinding(id, 'FAIL')),
      ...ids(15, 30).map((id) => historyFinding(id, 'PASS')),
      ...ids(30, 60).map((id) => historyFinding(id, 'FAIL')),
    ]);
    const { client } = throttled(t.doc, (call, size) => (call >= 6 ? size : 0));
    const crashing = new DynamoFindingStore({
      client,
      tableName: db.tableName,
      retentionDays: RETENTION_DAYS,
      now: () => t.clock.now,
      maxBatchAttempts: 1,
    });
    await expect(crashing.recordScan(o)).rejects.toThrow(/unprocessed/);

    const changes = await t.make().recordScan(o);
    const expected = Object.fromEntries([
      ...ids(0, 15).map((id) => [id, 'ONGOING']),
      ...ids(15, 30).map((id) => [id, 'RESOLVED']),
      ...ids(30, 60).map((id) => [id, 'NEW']),
    ]);
    expect(states(changes)).toEqual(expected);
    expect(await t.store.openFindings(t.org)).toHaveLength(45);
    expect((await t.store.latestScans(t.org)).map((s) => s.status)).toEqual(['complete', 'complete']);
  });

  it('refuses to record a scan older than one already recorded, so history never goes back in time', async () => {
    const t = setup();
    const older = t.outcome([historyFinding('a', 'FAIL')]);
    t.clock.now = new Date(t.clock.now.getTime() + DAY);
    await t.scan([historyFinding('b', 'FAIL')]);
    const error = await t.store.recordScan(older).catch((e) => e);
    expect(error).toBeInstanceOf(ScanConflictError);
    expect(error.message).toMatch(/newer scan .* is already recorded/);
    expect((await t.store.openFindings(t.org)).map((o) => o.finding.id)).toEqual(['b']);
  });

  it('keeps one scan record when startScan and the report disagree on the start time by milliseconds', async () => {
    const t = setup();
    const o = t.outcome([historyFinding('a', 'FAIL')]);
    await t.store.startScan({ scanId: o.report.scanId, org: t.org, startedAt: '2026-03-01T01:59:59.990Z' });
    await t.store.recordScan(o);
    const latest = await t.store.latestScans(t.org);
    expect(latest.map((s) => [s.startedAt, s.status])).toEqual([['2026-03-01T01:59:59.990Z', 'complete']]);
  });
});

describe('DynamoFindingStore: failed scans', () => {
  it('leaves a failed record with the reason, and frees the org for the next scan', async () => {
    const t = setup();
    const scan = { scanId: 'failing-1', org: t.org, startedAt: t.clock.now.toISOString() };
    await t.store.startScan(scan);
    await t.store.recordFailure(scan, 'Okta refused the API token (401)');
    expect(await t.store.latestScans(t.org)).toEqual([
      {
        scanId: 'failing-1',
        org: t.org,
        startedAt: scan.startedAt,
        finishedAt: scan.startedAt,
        status: 'failed',
        errors: [],
        summary: null,
        failureReason: 'Okta refused the API token (401)',
      },
    ]);
    t.clock.now = new Date(t.clock.now.getTime() + 1000);
    const { changes } = await t.scan([historyFinding('a', 'FAIL')]);
    expect(states(changes)).toEqual({ a: 'NEW' });
  });

  it("records the failure of a refused scan without freeing the running scan's lock", async () => {
    const t = setup();
    const running = { scanId: 'running-1', org: t.org, startedAt: t.clock.now.toISOString() };
    await t.store.startScan(running);
    const refused = { scanId: 'refused-1', org: t.org, startedAt: t.clock.now.toISOString() };
    await expect(t.store.startScan(refused)).rejects.toBeInstanceOf(ScanConflictError);
    await t.store.recordFailure(refused, 'another scan is running');
    await expect(t.store.startScan({ ...refused, scanId: 'refused-2' })).rejects.toBeInstanceOf(ScanConflictError);
    expect((await t.store.latestScans(t.org)).map((s) => [s.scanId, s.status])).toEqual([
      ['running-1', 'running'],
      ['refused-1', 'failed'],
    ]);
  });
});

describe('DynamoFindingStore: which org a secret points at', () => {
  it('knows nothing of a secret no scan has read, then the org it pointed at last', async () => {
    const t = setup();
    const secret = `arn:aws:secretsmanager:us-east-1:123456789012:secret:okta-${t.org}`;
    expect(await t.store.secretOrg(secret)).toBeNull();

    await t.store.rememberSecretOrg(secret, t.org);
    expect(await t.store.secretOrg(secret)).toBe(t.org);

    // The secret was pointed at another org: a later failure belongs there.
    await t.store.rememberSecretOrg(secret, `next-${t.org}`);
    expect(await t.store.secretOrg(secret)).toBe(`next-${t.org}`);
    expect(await t.store.secretOrg(`${secret}-other`)).toBeNull();
  });
});

describe('DynamoFindingStore: volume', () => {
  it('records 3,000 findings in batches of 25 and reads them all back', async () => {
    const t = setup();
    const counts: Record<string, number> = {};
    const send = t.doc.send.bind(t.doc) as (command: unknown) => Promise<unknown>;
    const counting = DynamoDBDocumentClient.from(db.client);
    counting.send = (async (command: { constructor: { name: string }; input: unknown }) => {
      counts[command.constructor.name] = (counts[command.constructor.name] ?? 0) + 1;
      return send(command);
    }) as typeof counting.send;
    const store = new DynamoFindingStore({
      client: counting,
      tableName: db.tableName,
      retentionDays: RETENTION_DAYS,
      now: () => t.clock.now,
    });
    const findings = Array.from({ length: 3000 }, (_, i) =>
      historyFinding(`f${String(i).padStart(4, '0')}`, i % 3 === 0 ? 'PASS' : 'FAIL'),
    );
    const o = t.outcome(findings);
    const changes = await store.recordScan(o);
    expect(changes).toHaveLength(2000);
    expect(changes.every((c) => c.state === 'NEW')).toBe(true);
    // 3,000 per-scan items + 2,000 open items, 25 to a batch.
    expect(counts.BatchWriteCommand).toBe(120 + 80);
    expect(await store.scanFindings(o.report.scanId)).toHaveLength(3000);
    expect(await store.openFindings(t.org)).toHaveLength(2000);
  });
});
