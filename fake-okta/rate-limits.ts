import type { RateLimitBucket } from './types';

// Okta's per-endpoint buckets (last published table, see docs/okta-facts.md#rate-limits). Only buckets the
// test configures are enforced; the others still report headers, with a ceiling high enough
// that a client which throttles on X-Rate-Limit-Remaining never waits on them.

const UNLIMITED_CEILING = 100_000;

export function bucketFor(method: string, path: string): RateLimitBucket {
  if (path.startsWith('/oauth2/')) return 'oauth';
  if (path === '/api/v1/apps' || path.startsWith('/api/v1/apps/')) return 'apps';
  if (path === '/api/v1/logs') return 'logs';
  if (path === '/api/v1/users' && (method === 'GET' || method === 'POST')) return 'usersList';
  if (/^\/api\/v1\/users\/[^/]+$/.test(path)) return 'userById';
  if (path === '/api/v1/groups' || path.startsWith('/api/v1/groups/')) return 'groups';
  return 'other';
}

export interface RateLimitState {
  allowed: boolean;
  limit: number;
  remaining: number;
  /** Epoch seconds when the bucket's window ends. */
  reset: number;
}

export class RateLimiter {
  private readonly windows = new Map<RateLimitBucket, { start: number; count: number }>();

  constructor(
    private readonly limits: Partial<Record<RateLimitBucket, number>>,
    private readonly windowMs: number,
  ) {}

  /** Counts one request against its bucket unless the bucket is exhausted. */
  take(bucket: RateLimitBucket, now: number): RateLimitState {
    let window = this.windows.get(bucket);
    if (!window || now >= window.start + this.windowMs) {
      window = { start: now, count: 0 };
      this.windows.set(bucket, window);
    }
    const limit = this.limits[bucket] ?? UNLIMITED_CEILING;
    const reset = Math.ceil((window.start + this.windowMs) / 1000);
    if (window.count >= limit) return { allowed: false, limit, remaining: 0, reset };
    window.count++;
    return { allowed: true, limit, remaining: limit - window.count, reset };
  }
}
