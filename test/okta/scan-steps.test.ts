import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateOrg } from '../../bench/generate-org';
import { loadOrg, startFakeOkta } from '../../fake-okta/server';
import type { FakeOkta, FakeOrgFixture } from '../../fake-okta/types';
import { DEFAULT_CONFIG } from '../../lambda/config';
import type { GateSnapshot } from '../../lambda/domain/scan-step';
import { ConfigError, CredentialsError, StepInterrupted } from '../../lambda/errors';
import { MemoryAnswerJournal } from '../../lambda/okta/answer-journal';
import type { OktaConnection } from '../../lambda/okta/connection';
import { StepBudget } from '../../lambda/okta/step-budget';
import { type ScanResult, scan } from '../../lambda/scan';
import { requestKey } from '../support/request-log';
import { serviceAppKey } from '../support/service-app-keys';

// A scan run in steps (issue 13): each step stops after a few requests, the next resumes with
// the same answer journal and the rate-limit windows the last one left. What a user would see:
// the same findings as one uninterrupted scan, and Okta asked for no page twice.

const TOKEN = 'scan-steps-token-0123456789abcdef';
const RESERVE_MS = 5_000;

function verdicts(result: ScanResult): string[] {
  return result.report.findings.map((f) => `${f.id} ${f.status}`).sort();
}

function repeated(urls: readonly string[]): string[] {
  return urls.filter((url, i) => urls.indexOf(url) !== i);
}

interface Stepped {
  result: ScanResult;
  steps: number;
  journal: MemoryAnswerJournal;
  /** What each step left for the next: the segments the orchestration would save. */
  segments: number[];
}

/**
 * Runs a scan in steps until it completes: each step's budget lets `perStep` requests reach Okta,
 * then the invocation's time "runs out" (remainingMs drops under the reserve).
 */
async function scanInSteps(okta: FakeOkta, connection: OktaConnection, now: Date, perStep: number): Promise<Stepped> {
  const journal = new MemoryAnswerJournal();
  const segments: number[] = [];
  let gateState: GateSnapshot | undefined;
  for (let steps = 1; steps <= 500; steps++) {
    const before = okta.requests.length;
    const budget = new StepBudget({
      remainingMs: () => (okta.requests.length - before < perStep ? 600_000 : RESERVE_MS - 1),
      reserveMs: RESERVE_MS,
      longWaitMs: 10_000,
    });
    try {
      const result = await scan({
        connection,
        config: DEFAULT_CONFIG,
        now,
        client: { journal, budget, gateState, sleep: async () => {} },
      });
      segments.push(Object.keys(journal.takeNew()).length);
      return { result, steps, journal, segments };
    } catch (error) {
      if (!(error instanceof StepInterrupted)) throw error;
      expect(error.stop).toEqual({ reason: 'deadline' });
      expect(error.waitMs).toBe(0);
      segments.push(Object.keys(journal.takeNew()).length);
      gateState = error.gate;
    }
  }
  throw new Error('the scan never finished');
}

function ssws(okta: FakeOkta): OktaConnection {
  return { orgUrl: okta.url, auth: { kind: 'token', token: TOKEN } };
}

describe.each([
  { name: 'the demo org', org: (): FakeOrgFixture => loadOrg('demo'), perStep: [1, 4, 11] },
  { name: 'the medium benchmark org', org: (): FakeOrgFixture => generateOrg('medium'), perStep: [45, 130] },
])('a scan of $name in steps', ({ org: makeOrg, perStep }) => {
  let okta: FakeOkta;
  let now: Date;
  let whole: ScanResult;
  let wholeUrls: string[];

  beforeAll(async () => {
    const org = makeOrg();
    now = new Date(org.asOf);
    okta = await startFakeOkta({ org, credentials: { apiTokens: [{ token: TOKEN }] } });
    whole = await scan({ connection: ssws(okta), config: DEFAULT_CONFIG, now });
    wholeUrls = okta.requests.map(requestKey).sort();
  }, 60_000);

  afterAll(() => okta.close());

  it.each(perStep)(
    'stopped every %i requests, gives the findings of one scan and asks for no page twice',
    async (k) => {
      okta.resetRequests();
      const stepped = await scanInSteps(okta, ssws(okta), now, k);

      expect(stepped.steps).toBeGreaterThan(1);
      expect(stepped.result.report.status).toBe(whole.report.status);
      expect(verdicts(stepped.result)).toEqual(verdicts(whole));
      expect(stepped.result.inventory).toEqual(whole.inventory);
      const urls = okta.requests.map(requestKey);
      expect(repeated(urls)).toEqual([]);
      expect([...urls].sort()).toEqual(wholeUrls);
      // Every page Okta served was kept by the step that read it.
      expect(stepped.segments.reduce((a, b) => a + b, 0)).toBe(urls.length);
      expect(okta.requests.every((r) => r.status !== 429)).toBe(true);
    },
    60_000,
  );

  it('replays a complete journal without asking Okta anything, to the same report', async () => {
    okta.resetRequests();
    const { journal } = await scanInSteps(okta, ssws(okta), now, perStep.at(-1) ?? 1);
    okta.resetRequests();
    const budget = new StepBudget({ remainingMs: () => 0, reserveMs: RESERVE_MS, longWaitMs: 10_000 });

    const replay = await scan({ connection: ssws(okta), config: DEFAULT_CONFIG, now, client: { journal, budget } });

    expect(okta.requests).toEqual([]);
    expect(replay.stats.requests).toBe(0);
    expect(budget.stopped).toBeNull();
    expect(verdicts(replay)).toEqual(verdicts(whole));
    expect(journal.takeNew()).toEqual({});
  }, 60_000);
});

describe('a scan step that is out of time before its first request', () => {
  let okta: FakeOkta;
  beforeAll(async () => {
    okta = await startFakeOkta({ org: loadOrg('demo'), credentials: { apiTokens: [{ token: TOKEN }] } });
  });
  afterAll(() => okta.close());

  it('stops with StepInterrupted, not a credentials error or a report, having asked Okta nothing', async () => {
    const budget = new StepBudget({ remainingMs: () => 1_000, reserveMs: RESERVE_MS, longWaitMs: 10_000 });
    const journal = new MemoryAnswerJournal();
    const scanning = scan({
      connection: ssws(okta),
      config: DEFAULT_CONFIG,
      now: new Date(okta.org.asOf),
      client: { journal, budget },
    });

    const error = await scanning.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StepInterrupted);
    expect(error).not.toBeInstanceOf(CredentialsError);
    expect(okta.requests).toEqual([]);
    expect(journal.takeNew()).toEqual({});
  });
});

describe("a scan step without its run's evaluation time", () => {
  it('is refused before any request: the System Log URLs are built from it', async () => {
    const okta = await startFakeOkta({ org: loadOrg('demo'), credentials: { apiTokens: [{ token: TOKEN }] } });
    try {
      const scanning = scan({
        connection: ssws(okta),
        config: DEFAULT_CONFIG,
        client: { journal: new MemoryAnswerJournal() },
      });
      await expect(scanning).rejects.toThrow(ConfigError);
      await expect(scanning).rejects.toThrow(/`now`/);
      expect(okta.requests).toEqual([]);
    } finally {
      await okta.close();
    }
  });
});

describe('a service app scanned in steps', () => {
  const key = serviceAppKey('trusted');
  const clientId = '0oastepscanner';
  let okta: FakeOkta;
  let connection: OktaConnection;
  let now: Date;
  beforeAll(async () => {
    const org = loadOrg('demo');
    now = new Date(org.asOf);
    okta = await startFakeOkta({
      org,
      credentials: {
        serviceApps: [
          {
            clientId,
            publicJwk: key.publicJwk,
            scopes: [
              'okta.apiTokens.read',
              'okta.agentPools.read',
              'okta.apps.read',
              'okta.logs.read',
              'okta.users.read',
              'okta.roles.read',
              'okta.networkZones.read',
            ],
          },
        ],
      },
    });
    connection = {
      orgUrl: okta.url,
      auth: { kind: 'privateKey', clientId, privateKey: key.privateKeyPem, keyId: key.kid },
    };
  });
  afterAll(() => okta.close());

  it('never journals the token request, and a replay asks for no token', async () => {
    const stepped = await scanInSteps(okta, connection, now, 6);
    const tokenRequests = okta.requests.filter((r) => r.path === '/oauth2/v1/token');
    const apiUrls = okta.requests.filter((r) => r.path !== '/oauth2/v1/token').map(requestKey);

    expect(stepped.steps).toBeGreaterThan(1);
    expect(tokenRequests.length).toBeGreaterThan(0);
    expect(tokenRequests.length).toBeLessThanOrEqual(stepped.steps);
    expect(repeated(apiUrls)).toEqual([]);
    const { journal } = stepped;
    okta.resetRequests();
    const replay = await scan({ connection, config: DEFAULT_CONFIG, now, client: { journal } });
    expect(okta.requests).toEqual([]);
    expect(replay.report.status).toBe(stepped.result.report.status);
    expect(verdicts(replay)).toEqual(verdicts(stepped.result));

    const recorded = new MemoryAnswerJournal();
    okta.resetRequests();
    await scan({ connection, config: DEFAULT_CONFIG, now, client: { journal: recorded } });
    const entries = recorded.takeNew();
    expect(Object.keys(entries).length).toBe(okta.requests.length - 1);
    expect(Object.keys(entries).filter((k) => k.includes('/oauth2/'))).toEqual([]);
    expect(JSON.stringify(entries)).not.toMatch(/access_token|set-cookie|authorization/i);
  }, 60_000);
});

describe('what a step journals of an answer that is not a page', () => {
  let okta: FakeOkta;
  const now = new Date('2026-11-28T02:00:00Z');

  beforeAll(async () => {
    okta = await startFakeOkta({ org: loadOrg('demo'), credentials: { apiTokens: [{ token: TOKEN }] } });
  });

  afterAll(() => okta.close());

  async function journalAfter(status: number): Promise<string[]> {
    okta.clearFaults();
    okta.fault({ route: '/api/v1/zones', fault: { kind: 'status', status } });
    const journal = new MemoryAnswerJournal();
    await scan({
      connection: ssws(okta),
      config: DEFAULT_CONFIG,
      now,
      ruleIds: ['api-token-unrestricted-network'],
      client: { journal, sleep: async () => {} },
    });
    okta.clearFaults();
    return Object.keys(journal.takeNew()).filter((key) => key.includes('/api/v1/zones'));
  }

  it('keeps a 404 (what Okta says of the data) for the next step to replay', async () => {
    expect(await journalAfter(404)).toHaveLength(1);
  });

  it.each([503, 429, 401])('does not keep a final %i: a retried or later step asks Okta again', async (status) => {
    expect(await journalAfter(status)).toEqual([]);
  });
});
