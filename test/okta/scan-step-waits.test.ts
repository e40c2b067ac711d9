import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { loadOrg, startFakeOkta } from '../../fake-okta/server';
import type { FakeOkta } from '../../fake-okta/types';
import { DEFAULT_CONFIG } from '../../lambda/config';
import { StepInterrupted } from '../../lambda/errors';
import { MemoryAnswerJournal } from '../../lambda/okta/answer-journal';
import type { OktaConnection } from '../../lambda/okta/connection';
import { StepBudget } from '../../lambda/okta/step-budget';
import { type ScanResult, scan } from '../../lambda/scan';
import { requestKey } from '../support/request-log';

// A scan step that meets a closed rate-limit window returns the wait instead of sleeping through
// it (the state machine waits, unbilled), and the next step, given the windows the last one saw,
// goes on without drawing a 429. Date is faked (the fake server's windows and the client's gate
// both read it), so a 60 s window passes at once; nothing sleeps.

const TOKEN = 'scan-step-waits-token-0123456789';
const WINDOW_MS = 60_000;
const LONG_WAIT_MS = 5_000;

function verdicts(result: ScanResult): string[] {
  return result.report.findings.map((f) => `${f.id} ${f.status}`).sort();
}

function connection(okta: FakeOkta): OktaConnection {
  return { orgUrl: okta.url, auth: { kind: 'token', token: TOKEN } };
}

const org = loadOrg('demo');
const now = new Date(org.asOf);
let whole: ScanResult;
let appsRequests: number;

beforeAll(async () => {
  const unlimited = await startFakeOkta({ org, credentials: { apiTokens: [{ token: TOKEN }] } });
  try {
    whole = await scan({ connection: connection(unlimited), config: DEFAULT_CONFIG, now });
    appsRequests = unlimited.requests.filter((r) => r.bucket === 'apps').length;
  } finally {
    await unlimited.close();
  }
});

afterEach(() => {
  vi.useRealTimers();
});

describe('a scan step that needs a long rate-limit wait', () => {
  let okta: FakeOkta;
  beforeAll(async () => {
    // One window short: the apps reads need a second window.
    okta = await startFakeOkta({
      org,
      credentials: { apiTokens: [{ token: TOKEN }] },
      rateLimits: { apps: appsRequests - 1 },
      rateLimitWindowMs: WINDOW_MS,
    });
  });
  afterAll(() => okta.close());

  it('returns the wait to the window reset without sleeping, and the next step draws no 429', async () => {
    expect(appsRequests).toBeGreaterThanOrEqual(5);
    vi.useFakeTimers({ toFake: ['Date'], now: Date.now() });
    const sleeps: number[] = [];
    const sleep = async (ms: number): Promise<void> => {
      sleeps.push(ms);
    };
    const journal = new MemoryAnswerJournal();
    const budget = new StepBudget({ remainingMs: () => 600_000, reserveMs: 5_000, longWaitMs: LONG_WAIT_MS });

    const stopped = await scan({
      connection: connection(okta),
      config: DEFAULT_CONFIG,
      now,
      client: { journal, budget, sleep },
    }).catch((e: unknown) => e);

    expect(stopped).toBeInstanceOf(StepInterrupted);
    const interrupted = stopped as StepInterrupted;
    expect(interrupted.stop.reason).toBe('wait');
    expect(interrupted.waitMs).toBeGreaterThan(WINDOW_MS - 5_000);
    expect(interrupted.waitMs).toBeLessThanOrEqual(WINDOW_MS + 2_000);
    expect(interrupted.gate.apps?.remaining).toBeLessThanOrEqual(1);
    expect(sleeps).toEqual([]);
    const firstStep = okta.requests.length;

    vi.setSystemTime(Date.now() + interrupted.waitMs);
    const resumed = await scan({
      connection: connection(okta),
      config: DEFAULT_CONFIG,
      now,
      client: {
        journal,
        budget: new StepBudget({ remainingMs: () => 600_000, reserveMs: 5_000, longWaitMs: LONG_WAIT_MS }),
        gateState: interrupted.gate,
        sleep,
      },
    });

    expect(okta.requests.length).toBeGreaterThan(firstStep);
    expect(okta.requests.filter((r) => r.status === 429)).toEqual([]);
    expect(sleeps).toEqual([]);
    const urls = okta.requests.map(requestKey);
    expect(urls.filter((url, i) => urls.indexOf(url) !== i)).toEqual([]);
    expect(verdicts(resumed)).toEqual(verdicts(whole));
  });

  it('without the last step’s windows, a resumed step that is too early draws the 429 the snapshot avoids', async () => {
    okta.resetRequests();
    vi.useFakeTimers({ toFake: ['Date'], now: Date.now() + 10 * WINDOW_MS });
    const journal = new MemoryAnswerJournal();
    // A step with time to spare: only a long rate-limit wait stops it.
    const step = (): Promise<unknown> =>
      scan({
        connection: connection(okta),
        config: DEFAULT_CONFIG,
        now,
        client: {
          journal,
          budget: new StepBudget({ remainingMs: () => 600_000, reserveMs: 5_000, longWaitMs: LONG_WAIT_MS }),
          sleep: async () => {},
        },
      });
    const stopped = await step().catch((e: unknown) => e);
    expect(stopped).toBeInstanceOf(StepInterrupted);

    const resumed = step();
    const error = await resumed.catch((e: unknown) => e);

    expect(okta.requests.filter((r) => r.status === 429).length).toBeGreaterThan(0);
    expect(error).toBeInstanceOf(StepInterrupted);
    expect((error as StepInterrupted).stop.reason).toBe('wait');
  });
});
