// Okta's rate limits, kept on the client side: which bucket a request counts against, how many
// requests may be in flight, and when to wait for a bucket's window to reset rather than run it
// dry. Knows nothing of the SDK: it is fed the rate-limit headers of each answer and a clock.

import type { GateSnapshot } from '../domain/scan-step';

/**
 * Okta's rate-limit buckets, as in its per-endpoint table
 * (https://developer.okta.com/docs/reference/rl-global-mgmt/).
 */
export type RateLimitBucket = 'apps' | 'logs' | 'usersList' | 'userById' | 'groups' | 'other' | 'oauth';

export function bucketOf(pathname: string): RateLimitBucket {
  if (pathname.startsWith('/oauth2/')) return 'oauth';
  if (pathname === '/api/v1/apps' || pathname.startsWith('/api/v1/apps/')) return 'apps';
  if (pathname === '/api/v1/logs') return 'logs';
  if (pathname === '/api/v1/users') return 'usersList';
  if (/^\/api\/v1\/users\/[^/]+$/.test(pathname)) return 'userById';
  if (pathname === '/api/v1/groups' || pathname.startsWith('/api/v1/groups/')) return 'groups';
  return 'other';
}

const BUCKETS: readonly RateLimitBucket[] = ['apps', 'logs', 'usersList', 'userById', 'groups', 'other', 'oauth'];

function isBucket(name: string): name is RateLimitBucket {
  return (BUCKETS as readonly string[]).includes(name);
}

export interface RateLimitGateOptions {
  sleep: (ms: number) => Promise<void>;
  now: () => number;
  /** Requests in flight across all buckets. Okta's org-wide concurrency limit is 75 (35 on free orgs). */
  maxInFlight?: number;
  /** Lower caps for the tight buckets: /api/v1/apps* is 100/min for the whole org. */
  maxInFlightPerBucket?: Partial<Record<RateLimitBucket, number>>;
  /** Longest wait for a rate-limit window to reset before giving up on the request. */
  maxWaitMs?: number;
  /** Told of each window wait before it starts; may throw to give the wait up (a scan step's budget). */
  beforeWait?: (waitMs: number) => void;
  /** Windows a previous scan step saw (its `snapshot()`): a window still closed is waited out, not run into. */
  state?: GateSnapshot;
}

/** What an answer said about its bucket's window: Okta's headers, as sent. */
export interface RateLimitHeaders {
  status: number;
  /** X-Rate-Limit-Remaining. */
  remaining: string | null;
  /** X-Rate-Limit-Reset: epoch seconds, Okta's clock. */
  reset: string | null;
  /** Date: Okta's clock when it answered. */
  date: string | null;
}

const DEFAULT_BUCKET_CAPS: Partial<Record<RateLimitBucket, number>> = { apps: 2, logs: 2, oauth: 1 };
// Windows are 60 s; a reset further out than this is a clock problem, not a reason to wait.
const DEFAULT_MAX_WAIT_MS = 65_000;

interface BucketState {
  inFlight: number;
  remaining: number | null;
  /** Local clock time at which the bucket's window resets. */
  resetAt: number | null;
}

export class RateLimitGate {
  private readonly buckets = new Map<RateLimitBucket, BucketState>();
  private inFlight = 0;
  private readonly waiters: (() => void)[] = [];
  private readonly options: Required<Omit<RateLimitGateOptions, 'beforeWait' | 'state'>> &
    Pick<RateLimitGateOptions, 'beforeWait'>;

  constructor(options: RateLimitGateOptions) {
    this.options = {
      maxInFlight: 6,
      maxWaitMs: DEFAULT_MAX_WAIT_MS,
      ...options,
      maxInFlightPerBucket: { ...DEFAULT_BUCKET_CAPS, ...options.maxInFlightPerBucket },
    };
    for (const [name, window] of Object.entries(options.state ?? {})) {
      if (!isBucket(name) || !Number.isFinite(window.remaining) || !Number.isFinite(window.resetAt)) continue;
      this.buckets.set(name, { inFlight: 0, remaining: window.remaining, resetAt: window.resetAt });
    }
  }

  /** Each bucket's window as last seen, for the next scan step. */
  snapshot(): GateSnapshot {
    const windows: GateSnapshot = {};
    for (const [name, state] of [...this.buckets].sort(([a], [b]) => a.localeCompare(b))) {
      if (state.remaining !== null && state.resetAt !== null) {
        windows[name] = { remaining: state.remaining, resetAt: state.resetAt };
      }
    }
    return windows;
  }

  /** Takes an in-flight slot, and waits out the window when the bucket is about to run dry. */
  async acquire(name: RateLimitBucket): Promise<void> {
    const state = this.bucket(name);
    const cap = this.options.maxInFlightPerBucket[name] ?? this.options.maxInFlight;
    for (;;) {
      if (this.inFlight >= this.options.maxInFlight || state.inFlight >= cap) {
        await new Promise<void>((resolve) => this.waiters.push(resolve));
        continue;
      }
      // Slow down before hitting 0: the last request of a window is kept back, and requests
      // already in flight count against what is left.
      if (state.remaining !== null && state.resetAt !== null && state.remaining - state.inFlight <= 1) {
        const resetAt = state.resetAt;
        const wait = Math.min(resetAt - this.options.now(), this.options.maxWaitMs);
        if (wait > 0) {
          this.options.beforeWait?.(wait);
          await this.options.sleep(wait);
        }
        // Waited the window out (an injected sleep may not move the clock): a new window starts.
        if (state.resetAt === resetAt) state.remaining = null;
        continue;
      }
      state.inFlight++;
      this.inFlight++;
      return;
    }
  }

  /** Gives the slot back and notes what the answer (if any came) said about the bucket's window. */
  release(name: RateLimitBucket, answer: RateLimitHeaders | null): void {
    const state = this.bucket(name);
    state.inFlight--;
    this.inFlight--;
    if (answer) {
      const remaining = Number.parseInt(answer.remaining ?? '', 10);
      const untilReset = this.msUntilReset(answer);
      if (Number.isFinite(remaining) && untilReset !== null) {
        state.remaining = answer.status === 429 ? 0 : remaining;
        state.resetAt = this.options.now() + untilReset;
      }
    }
    this.wake();
  }

  /**
   * Time until the window in X-Rate-Limit-Reset (epoch seconds, Okta's clock) resets, measured
   * against Okta's own Date header so local clock skew does not matter; +1 s for the Date
   * header's one-second resolution, as the SDK does. Duplicate headers (a comma) are ignored,
   * like the SDK (OKTA-112507).
   */
  msUntilReset(answer: Pick<RateLimitHeaders, 'reset' | 'date'>): number | null {
    const reset = answer.reset;
    if (!reset || reset.includes(',')) return null;
    const resetMs = Number.parseInt(reset, 10) * 1000;
    if (!Number.isFinite(resetMs)) return null;
    const date = Date.parse(answer.date ?? '');
    const serverNow = Number.isFinite(date) ? date : this.options.now();
    return Math.min(Math.max(resetMs - serverNow + 1000, 0), this.options.maxWaitMs);
  }

  private wake(): void {
    const waiting = this.waiters.splice(0);
    for (const resolve of waiting) resolve();
  }

  private bucket(name: RateLimitBucket): BucketState {
    let state = this.buckets.get(name);
    if (!state) {
      state = { inFlight: 0, remaining: null, resetAt: null };
      this.buckets.set(name, state);
    }
    return state;
  }
}
