import { DefaultRequestExecutor, RequestExecutor } from '@okta/okta-sdk-nodejs';
import type { GateSnapshot, JournalAnswer } from '../domain/scan-step';
import { OktaTokenEndpointError, OktaTransportError } from '../errors';
import { type AnswerJournal, journalKey, replayHeaders } from './answer-journal';
import {
  bucketOf,
  type RateLimitBucket,
  RateLimitGate,
  type RateLimitGateOptions,
  type RateLimitHeaders,
} from './rate-limit-gate';
import type { StepBudget } from './step-budget';

// Every HTTP request the SDK makes (API calls, collection pages, the OAuth token request) goes
// through this executor. It is the one place that paces requests by Okta's rate-limit headers,
// caps how many are in flight, retries what is safe to retry and counts what it did. In a scan
// step it also answers from the step's journal what an earlier step already read, records each
// final answer, and stops (StepInterrupted) when the step's budget says so.

export interface RequestStats {
  requests: number;
  throttled: number;
  retries: number;
}

export interface PacingOptions extends Omit<RateLimitGateOptions, 'beforeWait'> {
  maxRetries: number;
  requestTimeoutMs: number;
  /** Okta's answers by request: answered from without a request, and added to. */
  journal?: AnswerJournal;
  /** Consulted before each request is sent and before each rate-limit wait. */
  budget?: StepBudget;
}

const BACKOFF_BASE_MS = 1_000;
const BACKOFF_MAX_MS = 30_000;

// The SDK passes node-fetch RequestInit plus `url`; typed loosely because its d.ts files
// reference node-fetch types this project does not install.
type SdkRequest = Record<string, unknown> & { url: string; method?: string; headers?: Record<string, unknown> };
// biome-ignore lint/suspicious/noExplicitAny: node-fetch Response, untyped here
type SdkResponse = any;

type TransportKind = 'timeout' | 'dropped' | 'unreachable';

interface AttemptInfo {
  method: string;
  url: string;
  label: string;
  /** Attempts so far, this one included. */
  attempts: number;
  canRetry: boolean;
}

const baseFetch = RequestExecutor.prototype.fetch;

function transientNetworkError(error: unknown): TransportKind | null {
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

function rateLimitHeaders(response: SdkResponse | undefined): RateLimitHeaders | null {
  if (!response) return null;
  return {
    status: response.status,
    remaining: headerValue(response, 'x-rate-limit-remaining'),
    reset: headerValue(response, 'x-rate-limit-reset'),
    date: headerValue(response, 'date'),
  };
}

/**
 * Okta answers JSON only. Anything else (a proxy's HTML login page) the SDK would hand on as
 * text, and parse a list of it character by character into empty objects. Returns what is wrong
 * with a 2xx body, or null when it is JSON.
 */
function checkJsonBody(response: SdkResponse, text: string): { what: string; error?: unknown } | null {
  const contentType = headerValue(response, 'content-type');
  if (!/json/i.test(contentType ?? '')) {
    return { what: `a body that is not JSON (content-type ${contentType ?? 'missing'})` };
  }
  try {
    JSON.parse(text);
    return null;
  } catch (error) {
    return { what: 'a body that is not valid JSON', error };
  }
}

/**
 * The error for a token request Okta refused, or null when the SDK should see the answer:
 * DPoP-bound orgs answer the first token request with 400 use_dpop_nonce, and the SDK handles
 * that one itself.
 */
function tokenEndpointRefusal(status: number, text: string): OktaTokenEndpointError | null {
  const body = parseJsonObject(text);
  if (body?.error === 'use_dpop_nonce') return null;
  return new OktaTokenEndpointError(
    status,
    typeof body?.error === 'string' ? body.error : null,
    typeof body?.error_description === 'string' ? body.error_description : null,
  );
}

export class PacedRequestExecutor extends DefaultRequestExecutor {
  readonly stats: RequestStats = { requests: 0, throttled: 0, retries: 0 };
  private readonly gate: RateLimitGate;
  private readonly options: PacingOptions;

  constructor(options: PacingOptions) {
    // The SDK executor's own 429 retry (parseResponse) is not used: this class retries itself,
    // with the injectable clock and sleep, and also when Okta sends no X-Rate-Limit-Reset.
    super({ maxRetries: options.maxRetries, requestTimeout: options.requestTimeoutMs });
    this.options = options;
    const budget = options.budget;
    this.gate = new RateLimitGate({ ...options, beforeWait: budget && ((ms) => budget.beforeWait(ms)) });
  }

  /** The rate-limit windows as last seen, for the next scan step. */
  gateSnapshot(): GateSnapshot {
    return this.gate.snapshot();
  }

  override fetch(request: SdkRequest): Promise<SdkResponse> {
    const answered = this.answer(request);
    // A step waits for what is in flight before it saves its journal (StepBudget.settled).
    return this.options.budget ? this.options.budget.track(answered) : answered;
  }

  private async answer(request: SdkRequest): Promise<SdkResponse> {
    const url = new URL(request.url);
    const method = String(request.method ?? 'get').toUpperCase();
    const bucket = bucketOf(url.pathname);
    const label = `${method} ${url.pathname}`;
    const isTokenRequest = url.pathname === '/oauth2/v1/token';
    // GETs are safe to repeat; the token request too (it mints a new token, changes nothing).
    const retryable = method === 'GET' || isTokenRequest;
    let requestId: string | null = null;
    const key = journalKey(method, request.url);
    const journaled = isTokenRequest ? undefined : this.options.journal?.answer(key);
    if (journaled) return this.replay(request.url, journaled);

    for (let attempt = 0; ; attempt++) {
      const canRetry = retryable && attempt < this.options.maxRetries;
      let answer: { response: SdkResponse; text: string };
      try {
        answer = await this.send(this.attemptRequest(request, attempt, requestId), bucket);
      } catch (error) {
        const kind = transientNetworkError(error);
        if (kind && kind !== 'unreachable' && canRetry) {
          await this.backoff(request, attempt, null);
          continue;
        }
        throw this.transportError(error, kind, method, url, attempt + 1, label);
      }
      const { response, text } = answer;
      requestId = headerValue(response, 'x-okta-request-id') ?? requestId;
      const step = this.nextStep(response, text, { method, url: request.url, label, attempts: attempt + 1, canRetry });
      if (step !== 'answer') {
        await this.backoff(request, attempt, step === 'retry-after-window' ? response : null);
        continue;
      }

      if (isTokenRequest && (response.status < 200 || response.status >= 300)) {
        const refusal = tokenEndpointRefusal(response.status, text);
        if (refusal) throw refusal;
      }

      if (!isTokenRequest && worthReplaying(response.status)) {
        this.options.journal?.record(key, {
          status: response.status,
          headers: replayHeaders(response.headers),
          body: text,
        });
      }
      // The body has been read; hand the SDK a response whose readers return it again.
      response.text = () => Promise.resolve(text);
      response.json = () => Promise.resolve(JSON.parse(text));
      response.buffer = () => Promise.resolve(Buffer.from(text));
      return response;
    }
  }

  /**
   * A journaled answer as the SDK reads a node-fetch Response: status, url, headers.get/forEach
   * (Link for paging), text(), json() and buffer() (asSent reads the text). Emitted like a sent
   * request's, so the credentials probe sees the first success.
   */
  private replay(url: string, answer: JournalAnswer): SdkResponse {
    const response = {
      status: answer.status,
      ok: answer.status >= 200 && answer.status < 300,
      statusText: '',
      url,
      headers: new Headers(answer.headers),
      text: () => Promise.resolve(answer.body),
      json: () => Promise.resolve(JSON.parse(answer.body)),
      buffer: () => Promise.resolve(Buffer.from(answer.body)),
    };
    this.emit('response', response);
    return response;
  }

  /** The request for one attempt: a retry names the request it repeats and its number, as the SDK does. */
  private attemptRequest(request: SdkRequest, attempt: number, requestId: string | null): SdkRequest {
    const headers: Record<string, unknown> = { ...request.headers };
    if (attempt > 0) {
      if (requestId) headers[this.retryForHeader] = requestId;
      headers[this.retryCountHeader] = attempt;
    }
    return { ...request, headers, timeout: this.options.requestTimeoutMs };
  }

  /**
   * One attempt through the gate. The body is read here, inside the timeout, so a dropped or
   * stalled body is retried like any other transient failure rather than surfacing later as a
   * parse error.
   */
  private async send(request: SdkRequest, bucket: RateLimitBucket): Promise<{ response: SdkResponse; text: string }> {
    this.options.budget?.beforeSend();
    await this.gate.acquire(bucket);
    let response: SdkResponse;
    try {
      // Checked again: the step may have stopped while this request waited for a slot.
      this.options.budget?.beforeSend();
      this.stats.requests++;
      response = await baseFetch.call(this, request as never);
      const text: string = await response.text();
      this.gate.release(bucket, rateLimitHeaders(response));
      return { response, text };
    } catch (error) {
      this.gate.release(bucket, rateLimitHeaders(response));
      throw error;
    }
  }

  /** Whether an answer is worth another attempt; a malformed body that may not be retried is thrown. */
  private nextStep(
    response: SdkResponse,
    text: string,
    attempt: AttemptInfo,
  ): 'retry' | 'retry-after-window' | 'answer' {
    const status: number = response.status;
    if (status === 429) {
      this.stats.throttled++;
      return attempt.canRetry ? 'retry-after-window' : 'answer';
    }
    if (status >= 500 || status === 423) {
      // 423 E0000239 "Please try again later" (test/data/okta-recordings/README.md, "Errors").
      return attempt.canRetry ? 'retry' : 'answer';
    }
    const problem = status >= 200 && status < 300 && text.length > 0 ? checkJsonBody(response, text) : null;
    if (!problem) return 'answer';
    if (attempt.canRetry) return 'retry';
    throw new OktaTransportError(
      `Okta returned ${problem.what} for ${attempt.label} (${attempt.attempts} attempt${attempt.attempts > 1 ? 's' : ''})`,
      'malformed',
      attempt.method,
      attempt.url,
      attempt.attempts,
      { cause: problem.error },
    );
  }

  private transportError(
    error: unknown,
    kind: TransportKind | null,
    method: string,
    url: URL,
    attempts: number,
    label: string,
  ): Error {
    const tries = `${attempts} attempt${attempts > 1 ? 's' : ''}`;
    const code = (error as { code?: string } | null)?.code;
    const messages: Record<TransportKind, string> = {
      timeout: `${label} got no complete answer within ${this.options.requestTimeoutMs} ms (${tries})`,
      unreachable: `Could not reach ${url.host} (${code ?? 'network error'})`,
      dropped: `The connection to ${url.host} dropped during ${label} (${code ?? 'connection reset'}; ${tries})`,
    };
    if (kind) return new OktaTransportError(messages[kind], kind, method, url.href, attempts, { cause: error });
    return error instanceof Error ? error : new Error(String(error));
  }

  /** Waits before the next attempt: until the window resets on a 429 with a reset header, else exponentially. */
  private async backoff(request: SdkRequest, attempt: number, throttled: SdkResponse | null): Promise<void> {
    let delay = Math.min(BACKOFF_BASE_MS * 2 ** attempt, BACKOFF_MAX_MS);
    if (throttled) {
      const untilReset = this.gate.msUntilReset({
        reset: headerValue(throttled, 'x-rate-limit-reset'),
        date: headerValue(throttled, 'date'),
      });
      if (untilReset !== null) delay = untilReset;
      this.options.budget?.beforeWait(delay);
    }
    this.stats.retries++;
    this.emit('backoff', request, throttled, headerValue(throttled, 'x-okta-request-id'), delay);
    await this.options.sleep(delay);
    this.emit('resume', request, headerValue(throttled, 'x-okta-request-id'));
  }
}

/**
 * Answers a later step may replay: what Okta said about the data. Not a 401 (the credentials, which
 * a retry with a fixed secret must try again), a 429 or a 5xx (a later step may be answered).
 */
function worthReplaying(status: number): boolean {
  return status !== 401 && status !== 429 && status < 500;
}

function parseJsonObject(text: string): Record<string, unknown> | null {
  try {
    const value = JSON.parse(text);
    return value && typeof value === 'object' && !Array.isArray(value) ? value : null;
  } catch {
    return null;
  }
}
