import { describe, expect, it } from 'vitest';
import { bucketOf, RateLimitGate, type RateLimitHeaders } from '../../lambda/okta/rate-limit-gate';

// The gate on a fake clock: sleeping moves the clock, so a 60-s window takes no real time.
function fakeClock(start = Date.parse('2026-03-01T12:00:00Z')): {
  now: () => number;
  sleep: (ms: number) => Promise<void>;
  sleeps: number[];
} {
  let time = start;
  const sleeps: number[] = [];
  return {
    now: () => time,
    sleep: async (ms) => {
      sleeps.push(ms);
      time += ms;
    },
    sleeps,
  };
}

/** Okta's headers for an answer at `at` (local clock = Okta's clock here) in a window ending at `resetAt`. */
function answer(at: number, remaining: number, resetAt: number, status = 200): RateLimitHeaders {
  return {
    status,
    remaining: String(remaining),
    reset: String(Math.floor(resetAt / 1000)),
    date: new Date(at).toUTCString(),
  };
}

describe('rate-limit gate', () => {
  it('keeps the last request of a window back and waits for the reset Okta announced', async () => {
    const clock = fakeClock();
    const gate = new RateLimitGate(clock);
    const resetAt = clock.now() + 30_000;
    await gate.acquire('apps');
    gate.release('apps', answer(clock.now(), 1, resetAt));
    expect(clock.sleeps, 'no wait while the window has room').toEqual([]);

    await gate.acquire('apps');
    expect(clock.sleeps).toHaveLength(1);
    // Until the reset, plus 1 s for the Date header's one-second resolution.
    expect(clock.sleeps[0]).toBe(31_000);
    expect(clock.now()).toBeGreaterThanOrEqual(resetAt);
  });

  it('counts requests in flight against what is left of the window', async () => {
    const clock = fakeClock();
    const gate = new RateLimitGate({ ...clock, maxInFlightPerBucket: { apps: 5 } });
    await gate.acquire('apps');
    gate.release('apps', answer(clock.now(), 3, clock.now() + 10_000));
    await gate.acquire('apps');
    await gate.acquire('apps');
    expect(clock.sleeps, 'three left, one in flight: the next may go').toEqual([]);
    await gate.acquire('apps');
    expect(clock.sleeps, 'three left, two in flight: the next waits for the window').toHaveLength(1);
  });

  it('after a 429 waits for the window even when Okta still reports requests left', async () => {
    const clock = fakeClock();
    const gate = new RateLimitGate(clock);
    await gate.acquire('logs');
    gate.release('logs', answer(clock.now(), 50, clock.now() + 5_000, 429));
    await gate.acquire('logs');
    expect(clock.sleeps).toEqual([6_000]);
  });

  it('measures the wait on Okta’s clock, so a skewed local clock neither stalls nor rushes', async () => {
    const clock = fakeClock();
    const gate = new RateLimitGate(clock);
    const oktaNow = clock.now() - 3_600_000; // local clock an hour ahead of Okta's
    await gate.acquire('apps');
    gate.release('apps', answer(oktaNow, 0, oktaNow + 20_000));
    await gate.acquire('apps');
    expect(clock.sleeps).toEqual([21_000]);
  });

  it('never waits longer than maxWaitMs for a reset, and ignores duplicated reset headers', async () => {
    const clock = fakeClock();
    const gate = new RateLimitGate({ ...clock, maxWaitMs: 65_000 });
    expect(gate.msUntilReset({ reset: String(Math.floor(clock.now() / 1000) + 3_600), date: null })).toBe(65_000);
    expect(gate.msUntilReset({ reset: '1772366400, 1772366400', date: null })).toBeNull();
    expect(gate.msUntilReset({ reset: null, date: null })).toBeNull();
  });

  it('holds a request until one of the bucket’s slots is released', async () => {
    const clock = fakeClock();
    const gate = new RateLimitGate({ ...clock, maxInFlightPerBucket: { apps: 2 } });
    await gate.acquire('apps');
    await gate.acquire('apps');
    let third = false;
    const waiting = gate.acquire('apps').then(() => {
      third = true;
    });
    await gate.acquire('usersList');
    expect(third, 'other buckets still go; the third apps request waits').toBe(false);
    gate.release('apps', null);
    await waiting;
    expect(third).toBe(true);
    expect(clock.sleeps).toEqual([]);
  });

  it('caps requests in flight across all buckets', async () => {
    const clock = fakeClock();
    const gate = new RateLimitGate({ ...clock, maxInFlight: 2 });
    await gate.acquire('usersList');
    await gate.acquire('groups');
    let third = false;
    const waiting = gate.acquire('other').then(() => {
      third = true;
    });
    await Promise.resolve();
    expect(third).toBe(false);
    gate.release('groups', null);
    await waiting;
    expect(third).toBe(true);
  });
});

describe('rate-limit buckets', () => {
  it("files requests under Okta's published buckets", () => {
    expect(bucketOf('/api/v1/apps')).toBe('apps');
    expect(bucketOf('/api/v1/apps/0oa1/connections/default')).toBe('apps');
    expect(bucketOf('/api/v1/logs')).toBe('logs');
    expect(bucketOf('/api/v1/users')).toBe('usersList');
    expect(bucketOf('/api/v1/users/00u1')).toBe('userById');
    expect(bucketOf('/api/v1/users/00u1/roles')).toBe('other');
    expect(bucketOf('/oauth2/v1/token')).toBe('oauth');
  });
});
