import { DefaultRequestExecutor, RequestExecutor } from '@okta/okta-sdk-nodejs';

// Every HTTP request the SDK makes (API calls, collection pages, the OAuth token request) goes
// through this executor. It is the one place that paces requests by Okta's rate-limit headers,
// caps how many are in flight, retries what is safe to retry and counts what it did.

export interface RequestStats {
  requests: number;
  throttled: number;
  retries: number;
}

/** Okta's rate-limit buckets, as in its last published per-endpoint table (okta-api.md 7.2). */
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

export interface PacingOptions {
  maxRetries: number;
  requestTimeoutMs: number;
  sleep: (ms: number) => Promise<void>;
  now: () => number;
  /** Requests in flight across all buckets. Okta's org-wide concurrency limit is 75 (35 on free orgs). */
  maxInFlight?: number;
  /** Lower caps for the tight buckets: /api/v1/apps* is 100/min for the whole org. */
  maxInFlightPerBucket?: Partial<Record<RateLimitBucket, number>>;
  /** Longest wait for a rate-limit window to reset before giving up on the request. */
  maxWaitMs?: number;
}

const DEFAULT_BUCKET_CAPS: Partial<Record<RateLimitBucket, number>> = { apps: 2, logs: 2, oauth: 1 };
// Windows are 60 s; a reset further out than this is a clock problem, not a reason to wait.
const DEFAULT_MAX_WAIT_MS = 65_000;
const BACKOFF_BASE_MS = 1_000;
const BACKOFF_MAX_MS = 30_000;

/** A request that failed without a usable HTTP answer, after the retries it was allowed. */
export class OktaTransportError extends Error {
  constructor(
    message: string,
    readonly kind: 'timeout' | 'dropped' | 'malformed' | 'unreachable',
    readonly method: string,
    readonly url: string,
    readonly attempts: number,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'OktaTransportError';
  }
}

/**
 * The OAuth token endpoint refused the service app. The SDK does not filter this response
 * (oauth.js calls an undefined `Http.errorFilter`), caches the error body as the access token and
 * then calls the API with `Bearer undefined`, which ends in a misleading 401 E0000011. Failing
 * here keeps Okta's real answer. Deliberately has no `status` field: the SDK would take a 401
 * as an expired access token and ask again.
 */
export class OktaTokenEndpointError extends Error {
  constructor(
    readonly httpStatus: number,
    readonly error: string | null,
    readonly errorDescription: string | null,
  ) {
    super(
      `Okta's token endpoint answered ${httpStatus}${error ? ` ${error}` : ''}${errorDescription ? `: ${errorDescription}` : ''}`,
    );
    this.name = 'OktaTokenEndpointError';
  }
}

interface BucketState {
  inFlight: number;
  remaining: number | null;
  /** Local clock time at which the bucket's window resets. */
  resetAt: number | null;
}

// The SDK passes node-fetch RequestInit plus `url`; typed loosely because its d.ts files
// reference node-fetch types this project does not install.
type SdkRequest = Record<string, unknown> & { url: string; method?: string; headers?: Record<string, unknown> };
// biome-ignore lint/suspicious/noExplicitAny: node-fetch Response, untyped here
type SdkResponse = any;

const baseFetch = RequestExecutor.prototype.fetch;

function transientNetworkError(error: unknown): 'timeout' | 'dropped' | 'unreachable' | null {
  const e = error as { type?: string; code?: string; errno?: string; message?: string } | null;
  if (!e) return null;
  if (e.type === 'request-timeout' || e.type === 'body-timeout') return 'timeout';
  const code = e.code ?? e.errno ?? '';
  if (['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH'].includes(code)) return 'unreachable';
  if (/CERT|SSL|TLS/i.test(code)) return 'unreachable';
  if (e.type === 'system' || ['ECONNRESET', 'EPIPE', 'ETIMEDOUT'].includes(code)) return 'dropped';
  if (/socket hang up|premature close|aborted|Invalid response body/i.test(e.message ?? '')) return 'dropped';
  return null;
}

function headerValue(response: SdkResponse, name: string): string | null {
  const value = response?.headers?.get?.(name);
  return typeof value === 'string' ? value : null;
}

export class PacedRequestExecutor extends DefaultRequestExecutor {
  readonly stats: RequestStats = { requests: 0, throttled: 0, retries: 0 };
  private readonly buckets = new Map<RateLimitBucket, BucketState>();
  private inFlight = 0;
  private readonly waiters: (() => void)[] = [];
  private readonly options: Required<PacingOptions>;

  constructor(options: PacingOptions) {
    // The SDK executor's own 429 retry (parseResponse) is not used: this class retries itself,
    // with the injectable clock and sleep, and also when Okta sends no X-Rate-Limit-Reset.
    super({ maxRetries: options.maxRetries, requestTimeout: options.requestTimeoutMs });
    this.options = {
      maxInFlight: 6,
      maxWaitMs: DEFAULT_MAX_WAIT_MS,
      ...options,
      maxInFlightPerBucket: { ...DEFAULT_BUCKET_CAPS, ...options.maxInFlightPerBucket },
    };
  }

  override async fetch(request: SdkRequest): Promise<SdkResponse> {
    const url = new URL(request.url);
    const method = String(request.method ?? 'get').toUpperCase();
    const bucket = bucketOf(url.pathname);
    const label = `${method} ${url.pathname}`;
    const isTokenRequest = url.pathname === '/oauth2/v1/token';
    // GETs are safe to repeat; the token request too (it mints a new token, changes nothing).
    const retryable = method === 'GET' || isTokenRequest;
    let requestId: string | null = null;

    for (let attempt = 0; ; attempt++) {
      const headers: Record<string, unknown> = { ...request.headers };
      if (attempt > 0) {
        if (requestId) headers[this.retryForHeader] = requestId;
        headers[this.retryCountHeader] = attempt;
      }
      const attemptRequest = { ...request, headers, timeout: this.options.requestTimeoutMs };
      const canRetry = retryable && attempt < this.options.maxRetries;

      await this.acquire(bucket);
      let response: SdkResponse;
      let text: string;
      try {
        this.stats.requests++;
        response = await baseFetch.call(this, attemptRequest as never);
        // Read the body here, inside the timeout, so a dropped or stalled body is retried like
        // any other transient failure rather than surfacing later as a parse error.
        text = await response.text();
      } catch (error) {
        this.release(bucket, response);
        const kind = transientNetworkError(error);
        if (kind && kind !== 'unreachable' && canRetry) {
          await this.backoff(request, attempt, null);
          continue;
        }
        throw this.transportError(error, kind, method, url, attempt + 1, label);
      }
      this.release(bucket, response);
      requestId = headerValue(response, 'x-okta-request-id') ?? requestId;
      const status: number = response.status;

      if (status === 429) {
        this.stats.throttled++;
        if (canRetry) {
          await this.backoff(request, attempt, response);
          continue;
        }
      } else if ((status >= 500 || status === 423) && canRetry) {
        // 423 E0000239 "Please try again later" (test/data/okta-recordings/README.md, "Errors").
        await this.backoff(request, attempt, null);
        continue;
      } else if (status >= 200 && status < 300 && text.length > 0) {
        // Okta answers JSON only. Anything else (a proxy's HTML login page) the SDK would hand
        // on as text, and parse a list of it character by character into empty objects.
        const contentType = headerValue(response, 'content-type');
        let problem: { what: string; error?: unknown } | null = isJson(response)
          ? null
          : { what: `a body that is not JSON (content-type ${contentType ?? 'missing'})` };
        if (!problem) {
          try {
            JSON.parse(text);
          } catch (error) {
            problem = { what: 'a body that is not valid JSON', error };
          }
        }
        if (problem) {
          if (canRetry) {
            await this.backoff(request, attempt, null);
            continue;
          }
          throw new OktaTransportError(
            `Okta returned ${problem.what} for ${label} (${attempt + 1} attempt${attempt > 0 ? 's' : ''})`,
            'malformed',
            method,
            request.url,
            attempt + 1,
            { cause: problem.error },
          );
        }
      }

      if (isTokenRequest && (status < 200 || status >= 300)) {
        const body = parseJsonObject(text);
        // DPoP-bound orgs answer the first token request with 400 use_dpop_nonce: the SDK
        // handles that one itself.
        if (body?.error !== 'use_dpop_nonce') {
          throw new OktaTokenEndpointError(
            status,
            typeof body?.error === 'string' ? body.error : null,
            typeof body?.error_description === 'string' ? body.error_description : null,
          );
        }
      }

      // The body has been read; hand the SDK a response whose readers return it again.
      response.text = () => Promise.resolve(text);
      response.json = () => Promise.resolve(JSON.parse(text));
      response.buffer = () => Promise.resolve(Buffer.from(text));
      return response;
    }
  }

  private transportError(
    error: unknown,
    kind: ReturnType<typeof transientNetworkError>,
    method: string,
    url: URL,
    attempts: number,
    label: string,
  ): Error {
    const tries = `${attempts} attempt${attempts > 1 ? 's' : ''}`;
    const e = error as { code?: string; message?: string };
    if (kind === 'timeout') {
      return new OktaTransportError(
        `${label} got no complete answer within ${this.options.requestTimeoutMs} ms (${tries})`,
        'timeout',
        method,
        url.href,
        attempts,
        { cause: error },
      );
    }
    if (kind === 'unreachable') {
      return new OktaTransportError(
        `Could not reach ${url.host} (${e.code ?? 'network error'})`,
        'unreachable',
        method,
        url.href,
        attempts,
        { cause: error },
      );
    }
    if (kind === 'dropped') {
      return new OktaTransportError(
        `The connection to ${url.host} dropped during ${label} (${e.code ?? 'connection reset'}; ${tries})`,
        'dropped',
        method,
        url.href,
        attempts,
        { cause: error },
      );
    }
    return error instanceof Error ? error : new Error(String(error));
  }

  /** Waits before the next attempt: until the window resets on a 429 with a reset header, else exponentially. */
  private async backoff(request: SdkRequest, attempt: number, throttled: SdkResponse | null): Promise<void> {
    let delay = Math.min(BACKOFF_BASE_MS * 2 ** attempt, BACKOFF_MAX_MS);
    if (throttled) {
      const untilReset = this.msUntilReset(throttled);
      if (untilReset !== null) delay = untilReset;
    }
    this.stats.retries++;
    this.emit('backoff', request, throttled, headerValue(throttled, 'x-okta-request-id'), delay);
    await this.options.sleep(delay);
    this.emit('resume', request, headerValue(throttled, 'x-okta-request-id'));
  }

  /**
   * Time until the window in X-Rate-Limit-Reset (epoch seconds, Okta's clock) resets, measured
   * against Okta's own Date header so local clock skew does not matter; +1 s for the Date
   * header's one-second resolution, as the SDK does. Duplicate headers (a comma) are ignored,
   * like the SDK (OKTA-112507).
   */
  private msUntilReset(response: SdkResponse): number | null {
    const reset = headerValue(response, 'x-rate-limit-reset');
    if (!reset || reset.includes(',')) return null;
    const resetMs = Number.parseInt(reset, 10) * 1000;
    if (!Number.isFinite(resetMs)) return null;
    const date = Date.parse(headerValue(response, 'date') ?? '');
    const serverNow = Number.isFinite(date) ? date : this.options.now();
    return Math.min(Math.max(resetMs - serverNow + 1000, 0), this.options.maxWaitMs);
  }

  private bucket(name: RateLimitBucket): BucketState {
    let state = this.buckets.get(name);
    if (!state) {
      state = { inFlight: 0, remaining: null, resetAt: null };
      this.buckets.set(name, state);
    }
    return state;
  }

  /** Takes an in-flight slot, and waits out the window when the bucket is about to run dry. */
  private async acquire(name: RateLimitBucket): Promise<void> {
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
        const wait = resetAt - this.options.now();
        if (wait > 0) await this.options.sleep(Math.min(wait, this.options.maxWaitMs));
        // Waited the window out (an injected sleep may not move the clock): a new window starts.
        if (state.resetAt === resetAt) state.remaining = null;
        continue;
      }
      state.inFlight++;
      this.inFlight++;
      return;
    }
  }

  private release(name: RateLimitBucket, response: SdkResponse | undefined): void {
    const state = this.bucket(name);
    state.inFlight--;
    this.inFlight--;
    if (response) {
      const remaining = Number.parseInt(headerValue(response, 'x-rate-limit-remaining') ?? '', 10);
      const untilReset = this.msUntilReset(response);
      if (Number.isFinite(remaining) && untilReset !== null) {
        state.remaining = response.status === 429 ? 0 : remaining;
        state.resetAt = this.options.now() + untilReset;
      }
    }
    this.wake();
  }

  private wake(): void {
    const waiting = this.waiters.splice(0);
    for (const resolve of waiting) resolve();
  }
}

function isJson(response: SdkResponse): boolean {
  return /json/i.test(headerValue(response, 'content-type') ?? '');
}

function parseJsonObject(text: string): Record<string, unknown> | null {
  try {
    const value = JSON.parse(text);
    return value && typeof value === 'object' && !Array.isArray(value) ? value : null;
  } catch {
    return null;
  }
}
