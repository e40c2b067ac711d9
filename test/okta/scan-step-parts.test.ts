import { describe, expect, it } from 'vitest';
import { StepInterrupted } from '../../lambda/errors';
import { journalKey, MemoryAnswerJournal } from '../../lambda/okta/answer-journal';
import { RateLimitGate, type RateLimitHeaders } from '../../lambda/okta/rate-limit-gate';
import { StepBudget } from '../../lambda/okta/step-budget';

// The parts a scan step is made of, each on its own: the journal the orchestration saves, the
// budget that stops a step, and the rate-limit windows one step hands the next.

const PAGE = 'https://acme.okta.com/api/v1/apps?filter=status+eq+%22ACTIVE%22&limit=200';

describe('answer journal', () => {
  it('keeps only what a replay reads: never a cookie, a request id or anything else Okta sent', () => {
    const journal = new MemoryAnswerJournal();
    journal.record(journalKey('get', PAGE), {
      status: 200,
      headers: {
        Link: `<${PAGE}>; rel="self"`,
        'Content-Type': 'application/json',
        Date: 'Sun, 29 Nov 2026 12:00:00 GMT',
        'X-Rate-Limit-Remaining': '97',
        'X-Rate-Limit-Reset': '1795963260',
        'Set-Cookie': 'sid=102abc; Path=/',
        'X-Okta-Request-Id': 'aBcD',
        Authorization: 'SSWS secret',
      },
      body: '[]',
    });

    expect(journal.answer(`GET ${PAGE}`)?.headers).toEqual({
      link: `<${PAGE}>; rel="self"`,
      'content-type': 'application/json',
      date: 'Sun, 29 Nov 2026 12:00:00 GMT',
      'x-rate-limit-remaining': '97',
      'x-rate-limit-reset': '1795963260',
    });
  });

  it('hands out each recorded answer once, as the next segment, and answers from loaded segments', () => {
    const journal = new MemoryAnswerJournal();
    journal.record(`GET ${PAGE}`, { status: 200, headers: {}, body: '[1]' });
    const first = journal.takeNew();
    journal.record('GET https://acme.okta.com/api/v1/users/00u1', { status: 404, headers: {}, body: '{}' });
    const second = journal.takeNew();

    expect(Object.keys(first)).toEqual([`GET ${PAGE}`]);
    expect(Object.keys(second)).toEqual(['GET https://acme.okta.com/api/v1/users/00u1']);
    expect(journal.takeNew()).toEqual({});

    const next = new MemoryAnswerJournal();
    next.load({ ...first, ...second });
    expect(next.answer(`GET ${PAGE}`)?.body).toBe('[1]');
    expect(next.answer('GET https://acme.okta.com/api/v1/users/00u1')?.status).toBe(404);
    expect(next.takeNew(), 'loaded answers are not new').toEqual({});
  });
});

describe('step budget', () => {
  it('stops at the deadline, and once stopped refuses every request and wait', () => {
    let remaining = 60_000;
    const budget = new StepBudget({ remainingMs: () => remaining, reserveMs: 10_000, longWaitMs: 5_000 });
    budget.beforeSend();
    budget.beforeWait(4_000);
    expect(budget.stopped).toBeNull();

    remaining = 9_999;
    expect(() => budget.beforeSend()).toThrow(StepInterrupted);
    expect(budget.stopped).toEqual({ reason: 'deadline' });
    remaining = 60_000;
    expect(() => budget.beforeSend()).toThrow(StepInterrupted);
    expect(() => budget.beforeWait(1)).toThrow(StepInterrupted);
    expect(budget.stopped).toEqual({ reason: 'deadline' });
  });

  it('stops instead of a wait longer than longWaitMs, carrying the wait', () => {
    const budget = new StepBudget({ remainingMs: () => 600_000, reserveMs: 10_000, longWaitMs: 5_000 });
    const error = (() => {
      try {
        budget.beforeWait(42_000.5);
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(StepInterrupted);
    expect((error as StepInterrupted).waitMs).toBe(42_001);
    expect(budget.stopped).toEqual({ reason: 'wait', waitMs: 42_001 });
    expect(() => budget.beforeSend()).toThrow(StepInterrupted);
  });
});

describe('rate-limit windows across steps', () => {
  const start = Date.parse('2026-11-29T12:00:00Z');
  const answer = (remaining: number, resetAt: number): RateLimitHeaders => ({
    status: 200,
    remaining: String(remaining),
    reset: String(Math.floor(resetAt / 1000)),
    date: new Date(start).toUTCString(),
  });

  it('a restored window that is still closed is waited out (or handed to the budget), not run into', async () => {
    let time = start;
    const sleeps: number[] = [];
    const first = new RateLimitGate({ now: () => time, sleep: async () => {} });
    await first.acquire('apps');
    first.release('apps', answer(1, start + 30_000));
    const snapshot = first.snapshot();
    expect(snapshot).toEqual({ apps: { remaining: 1, resetAt: start + 31_000 } });

    time = start + 1_000;
    const waits: number[] = [];
    const next = new RateLimitGate({
      now: () => time,
      sleep: async (ms) => {
        sleeps.push(ms);
        time += ms;
      },
      beforeWait: (ms) => waits.push(ms),
      state: snapshot,
    });
    await next.acquire('apps');
    expect(waits).toEqual([30_000]);
    expect(sleeps).toEqual([30_000]);
  });

  it('a restored window that has reset since lets the next request go at once', async () => {
    const sleeps: number[] = [];
    const gate = new RateLimitGate({
      now: () => start + 120_000,
      sleep: async (ms) => {
        sleeps.push(ms);
      },
      state: { apps: { remaining: 0, resetAt: start + 60_000 }, nonsense: { remaining: 0, resetAt: start + 600_000 } },
    });
    await gate.acquire('apps');
    expect(sleeps).toEqual([]);
    expect(Object.keys(gate.snapshot())).toEqual([]);
  });
});
