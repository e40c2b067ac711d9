import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { loadOrg, startFakeOkta } from '../../fake-okta/server';
import type { FakeOkta } from '../../fake-okta/types';
import { DEFAULT_CONFIG } from '../../lambda/config';
import type { Finding } from '../../lambda/domain/finding';
import { LOG_OVERLAP_MS } from '../../lambda/domain/ledger';
import { scanWithLedger } from '../../lambda/ledger-scan';
import { scan } from '../../lambda/scan';
import { LocalStateStore } from '../../lambda/sinks/local-store';
import {
  BOB_TOKEN,
  CAROL,
  CONNECTION_ID,
  day,
  ledgerLogRequests,
  ledgerOrg,
  logSinces,
  SERVICE,
  usageEvent,
  workflowsEvent,
} from '../support/ledger-org';

// The ledger end to end below the CLI: scans on the fake Okta server whose log keeps 90 days
// before the scan's time, with the local store. Okta keeps no list of Workflows connections, so
// the connection made on day 0 is known after day 90 only through the ledger.

const TOKEN = 'ledger-scan-test-token-0123456789';
let okta: FakeOkta;
let clock = day(0);
let dir: string;

beforeAll(async () => {
  okta = await startFakeOkta({
    org: ledgerOrg(),
    credentials: { apiTokens: [{ token: TOKEN }] },
    logClock: () => clock.getTime(),
  });
});

afterAll(() => okta.close());

afterEach(() => {
  okta.clearFaults();
  okta.resetRequests();
  rmSync(dir, { recursive: true, force: true });
});

async function scanOn(n: number, store: LocalStateStore): Promise<Awaited<ReturnType<typeof scanWithLedger>>> {
  clock = day(n);
  okta.resetRequests();
  return scanWithLedger(
    { connection: { orgUrl: okta.url, auth: { kind: 'token', token: TOKEN } }, config: DEFAULT_CONFIG, now: clock },
    { store },
  );
}

function connectionFinding(findings: Finding[], ruleId = 'workflows-connection-authorized-by-human'): Finding {
  const found = findings.find((f) => f.ruleId === ruleId && f.resource.id === CONNECTION_ID);
  expect(found, `${ruleId} judges the day-0 connection`).toBeDefined();
  return found!;
}

function freshStore(): LocalStateStore {
  dir = mkdtempSync(join(tmpdir(), 'okta-ledger-'));
  return new LocalStateStore({ dir, now: () => clock });
}

describe('a Workflows connection made by a person on day 0', () => {
  it('is found on day 10 and still on day 200, long after its creation left the System Log', async () => {
    const store = freshStore();
    const first = await scanOn(10, store);
    expect(connectionFinding(first.report.findings)).toMatchObject({ status: 'FAIL', owner: { id: CAROL.id } });

    // Without the ledger a day-200 scan cannot see it: the creation is 200 days old.
    const stateless = await scanWithLedger(
      {
        connection: { orgUrl: okta.url, auth: { kind: 'token', token: TOKEN } },
        config: DEFAULT_CONFIG,
        now: day(200),
      },
      { store: new LocalStateStore({ dir: join(dir, 'elsewhere') }) },
    );
    expect(stateless.report.findings.some((f) => f.resource.id === CONNECTION_ID)).toBe(false);

    const later = await scanOn(200, store);
    const found = connectionFinding(later.report.findings);
    expect(found.status).toBe('FAIL');
    expect(found.owner).toMatchObject({ id: CAROL.id, login: CAROL.login, kind: 'human' });
    expect(found.evidence.lastAuthorizedAt).toBe(day(0).toISOString());
    // A gap longer than the lookback: the whole window is read again.
    expect(logSinces(okta.requests)).toEqual([day(110).toISOString()]);
  });

  it('is resolved only when a later event revokes it', async () => {
    const store = freshStore();
    await scanOn(10, store);
    expect(connectionFinding((await scanOn(150, store)).report.findings).status).toBe('FAIL');
    okta.org.logs.push(workflowsEvent('revoke', day(160), CAROL, 'ledger-test-revoke-0001'));
    try {
      const after = await scanOn(170, store);
      expect(connectionFinding(after.report.findings).status).toBe('PASS');
      expect(connectionFinding(after.report.findings).evidence.eventType).toBe('workflows.user.connection.revoke');
      // Closed, not deleted: day 300 still knows it ended, though the revocation left the log.
      expect(connectionFinding((await scanOn(300, store)).report.findings).status).toBe('PASS');
    } finally {
      okta.org.logs = okta.org.logs.filter((e) => e.uuid !== 'ledger-test-revoke-0001');
    }
  });

  it('passes once reauthorized by a service account, and the ledger remembers that account', async () => {
    const store = freshStore();
    await scanOn(10, store);
    okta.org.logs.push(workflowsEvent('reauthorize', day(40), SERVICE, 'ledger-test-reauth-0001'));
    try {
      await scanOn(50, store);
      const found = connectionFinding((await scanOn(250, store)).report.findings);
      expect(found.status).toBe('PASS');
      expect(found.owner).toMatchObject({ id: SERVICE.id, kind: 'service' });
    } finally {
      okta.org.logs = okta.org.logs.filter((e) => e.uuid !== 'ledger-test-reauth-0001');
    }
  });
});

describe('incremental System Log reads', () => {
  it('reads the whole window on the first scan, then only from where the last one stopped', async () => {
    const store = freshStore();
    await scanOn(100, store);
    expect(logSinces(okta.requests)).toEqual([day(10).toISOString()]);
    const firstNight = ledgerLogRequests(okta.requests).length;
    for (const n of [101, 102, 103]) {
      await scanOn(n, store);
      expect(logSinces(okta.requests)).toEqual([new Date(day(n - 1).getTime() - LOG_OVERLAP_MS).toISOString()]);
      // One shared query for every log source, where the first night made one per source.
      expect(ledgerLogRequests(okta.requests)).toHaveLength(1);
      expect(firstNight).toBeGreaterThanOrEqual(6);
    }
  });

  it('leaves the cursor and the ledger as they were when a log read fails, and reads from the old cursor next time', async () => {
    const store = freshStore();
    await scanOn(10, store);
    const ledgerFile = join(dir, new URL(okta.url).host.replace(':', '_'), 'ledger.json');
    const before = readFileSync(ledgerFile, 'utf8');
    okta.fault({ route: '/api/v1/logs', fault: { kind: 'status', status: 500 } });
    const failed = await scanOn(20, store);
    okta.clearFaults();
    expect(failed.report.status).toBe('incomplete');
    expect(failed.ledgerUpdate).toBeNull();
    // Nothing about the connections is reported PASS for an unread log: the rule says UNKNOWN.
    const workflows = failed.report.findings.filter((f) => f.ruleId === 'workflows-connection-authorized-by-human');
    expect(workflows.length).toBeGreaterThan(0);
    expect(workflows.every((f) => f.status === 'UNKNOWN')).toBe(true);
    expect(readFileSync(ledgerFile, 'utf8')).toBe(before);
    await scanOn(21, store);
    expect(logSinces(okta.requests)).toEqual([new Date(day(10).getTime() - LOG_OVERLAP_MS).toISOString()]);
  });
});

describe('usage kept in the ledger', () => {
  const at = (n: number): Date => new Date(day(n).getTime() + 12 * 3_600_000);
  const added = [
    usageEvent('token', at(95), 'ledger-usage-token-95'),
    usageEvent('token', at(100), 'ledger-usage-token-100'),
    usageEvent('token', at(101), 'ledger-usage-token-101'),
    usageEvent('workflows', at(95), 'ledger-usage-wf-95'),
    usageEvent('workflows', at(100), 'ledger-usage-wf-100'),
  ];
  // Carol's day-0 connection is older than these scans' windows: Workflows acting as her is her connection.
  const carolsConnection = (result: Awaited<ReturnType<typeof scanOn>>): number | undefined =>
    result.inventory.workflowsConnections.find((c) => c.lastAuthorizedBy.id === CAROL.id)?.usage?.eventCount;

  it('counts earlier nights from the ledger and new events from one query a night, and drops what left the window', async () => {
    okta.org.logs.push(...added);
    try {
      const store = freshStore();
      const first = await scanOn(100, store);
      expect(first.inventory.apiTokenUsage?.[BOB_TOKEN]).toMatchObject({
        eventCount: 1,
        firstEventAt: at(95).toISOString(),
      });
      expect(carolsConnection(first)).toBe(1);

      const second = await scanOn(101, store);
      expect(ledgerLogRequests(okta.requests)).toHaveLength(1);
      // Day 95 was read on day 100 only: the ledger kept it; day 100's event came with tonight's query.
      expect(second.inventory.apiTokenUsage?.[BOB_TOKEN]).toMatchObject({
        eventCount: 2,
        firstEventAt: at(95).toISOString(),
        lastEventAt: at(100).toISOString(),
        ipAddresses: ['10.1.2.3'],
        userAgents: ['Terraform/1.9.8'],
      });
      expect(carolsConnection(second)).toBe(2);

      const third = await scanOn(102, store);
      expect(ledgerLogRequests(okta.requests)).toHaveLength(1);
      expect(third.inventory.apiTokenUsage?.[BOB_TOKEN]?.eventCount).toBe(3);

      // On day 186 the window starts on day 96: the day-95 event is no longer usage evidence.
      const later = await scanOn(186, store);
      expect(ledgerLogRequests(okta.requests)).toHaveLength(1);
      expect(later.inventory.apiTokenUsage?.[BOB_TOKEN]).toMatchObject({
        eventCount: 2,
        firstEventAt: at(100).toISOString(),
        lastEventAt: at(101).toISOString(),
      });
      expect(carolsConnection(later)).toBe(1);
    } finally {
      const uuids = new Set(added.map((e) => e.uuid));
      okta.org.logs = okta.org.logs.filter((e) => !uuids.has(String(e.uuid)));
    }
  });
});

describe('an incremental read through one shared query', () => {
  it('gives the same verdicts as reading each source on its own', async () => {
    const demo = loadOrg('demo');
    const asOf = Date.parse(demo.asOf);
    let at = asOf - 30 * 86_400_000;
    const server = await startFakeOkta({
      org: demo,
      credentials: { apiTokens: [{ token: TOKEN }] },
      logClock: () => at,
    });
    dir = mkdtempSync(join(tmpdir(), 'okta-ledger-demo-'));
    try {
      const connection = { orgUrl: server.url, auth: { kind: 'token' as const, token: TOKEN } };
      const store = new LocalStateStore({ dir });
      await scanWithLedger({ connection, config: DEFAULT_CONFIG, now: new Date(at) }, { store });
      at = asOf;
      server.resetRequests();
      const incremental = await scanWithLedger({ connection, config: DEFAULT_CONFIG, now: new Date(at) }, { store });
      expect(ledgerLogRequests(server.requests)).toHaveLength(1);
      const stateless = await scan({ connection, config: DEFAULT_CONFIG, now: new Date(at) });
      const verdicts = (findings: Finding[]): string[] => findings.map((f) => `${f.id} ${f.status}`).sort();
      // The ledger may know more (events from before this window); never less, never differently.
      const seen = new Set(verdicts(incremental.report.findings));
      const missing = verdicts(stateless.report.findings).filter((v) => !seen.has(v));
      expect(missing).toEqual([]);
      // Usage is window evidence: the ledger's part and tonight's add up to what the window holds.
      expect(Object.keys(stateless.inventory.apiTokenUsage ?? {})).not.toEqual([]);
      expect(incremental.inventory.apiTokenUsage).toEqual(stateless.inventory.apiTokenUsage);
      const workflowsUsage = (result: typeof stateless): unknown[] =>
        result.inventory.workflowsConnections.filter((c) => c.usage).map((c) => [c.lastAuthorizedBy.id, c.usage]);
      expect(workflowsUsage(incremental)).toEqual(workflowsUsage(stateless));
    } finally {
      await server.close();
    }
  });
});
