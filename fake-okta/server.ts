import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Authenticator, authKindOf, hasScope } from './auth';
import { FaultBook } from './faults';
import { bucketFor, RateLimiter, type RateLimitState } from './rate-limits';
import { accessDenied, invalidToken, oktaError, type Reply, rateLimited } from './reply';
import { matchRoute } from './routes';
import type { FakeOkta, FakeOktaOptions, FaultKind, RecordedRequest } from './types';

// A loopback Okta org: real HTTP on 127.0.0.1, Okta's shapes, paging, auth, scopes, rate limits
// and faults, so collectors are tested through the real @okta/okta-sdk-nodejs client.

export { generateServiceAppKey } from './auth';
export { loadOrg } from './fixture';

const DEFAULT_WINDOW_MS = 60_000;
const DEFAULT_CONCURRENCY = 75;
// Okta keeps the System Log for 90 days.
const DEFAULT_LOG_RETENTION_DAYS = 90;
// In the past, so the SDK's computed wait (reset - Date + 1 s) is zero and tests do not sleep.
const DEFAULT_FAULT_RESET_S = -5;

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString()));
    req.on('error', reject);
  });
}

function faultReply(fault: Extract<FaultKind, { kind: 'status' }>, path: string): Reply {
  const defaults: Record<number, [string, string]> = {
    400: ['E0000001', 'Api validation failed'],
    401: ['E0000011', 'Invalid token provided'],
    403: ['E0000006', 'You do not have permission to perform the requested action'],
    404: ['E0000007', `Not found: Resource not found: ${path} (Route)`],
    429: ['E0000047', 'API call exceeded rate limit due to too many requests.'],
    423: ['E0000239', 'Policy priorities are being reconciled. Please try again later.'],
  };
  const [code, summary] = defaults[fault.status] ?? ['E0000009', 'Internal Server Error'];
  return oktaError(fault.status, fault.errorCode ?? code, fault.errorSummary ?? summary);
}

export async function startFakeOkta(options: FakeOktaOptions): Promise<FakeOkta> {
  const auth = new Authenticator(options.credentials);
  const limiter = new RateLimiter(options.rateLimits ?? {}, options.rateLimitWindowMs ?? DEFAULT_WINDOW_MS);
  const faults = new FaultBook();
  const concurrencyLimit = options.concurrencyLimit ?? DEFAULT_CONCURRENCY;
  let inFlight = 0;
  const logRetained = (): { from: number; to: number } | null => {
    if (!options.logClock) return null;
    const to = options.logClock();
    return { from: to - (options.logRetentionDays ?? DEFAULT_LOG_RETENTION_DAYS) * 86_400_000, to };
  };

  const okta: FakeOkta = {
    url: '',
    org: options.org,
    requests: [],
    fault: (rule) => faults.add(rule),
    clearFaults: () => faults.clear(),
    resetRequests: () => {
      okta.requests.length = 0;
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((err) => (err ? reject(err) : resolve()));
        server.closeAllConnections();
      }),
  };

  async function serve(req: IncomingMessage, res: ServerResponse): Promise<void> {
    inFlight++;
    const at = Date.now();
    const url = new URL(req.url ?? '/', okta.url);
    const method = (req.method ?? 'GET').toUpperCase();
    const path = url.pathname;
    const bucket = bucketFor(method, path);
    const entry: RecordedRequest = {
      method,
      path,
      query: Object.fromEntries(url.searchParams),
      auth: authKindOf(req.headers.authorization),
      bucket,
      status: 0,
      at,
    };
    okta.requests.push(entry);

    const send = (reply: Reply, rate: Partial<RateLimitState> | null, malformed = false): void => {
      entry.status = reply.status;
      const headers: Record<string, string | string[]> = {
        'content-type': 'application/json',
        'x-okta-request-id': randomBytes(12).toString('base64url'),
      };
      if (rate?.limit !== undefined) headers['x-rate-limit-limit'] = String(rate.limit);
      if (rate?.remaining !== undefined) headers['x-rate-limit-remaining'] = String(rate.remaining);
      if (rate?.reset !== undefined) headers['x-rate-limit-reset'] = String(rate.reset);
      Object.assign(headers, reply.headers);
      let body = reply.body === undefined ? '' : JSON.stringify(reply.body);
      if (malformed) body = body.slice(0, Math.max(1, Math.floor(body.length / 2)));
      res.writeHead(reply.status, headers);
      res.end(body);
    };

    try {
      const rawBody = await readBody(req);
      if (inFlight > concurrencyLimit) {
        // Okta: both counters read 0 and the reset is only a suggestion.
        send(rateLimited(), { limit: 0, remaining: 0, reset: Math.ceil(Date.now() / 1000) + 1 });
        return;
      }
      if (options.latencyMs) await sleep(options.latencyMs);

      let fault = faults.take(method, path);
      if (fault?.kind === 'delay') {
        await sleep(fault.ms);
        fault = null;
      }
      if (fault?.kind === 'drop') {
        req.socket.destroy();
        return;
      }
      if (fault?.kind === 'status') {
        send(faultReply(fault, path), null);
        return;
      }
      if (fault?.kind === 'rateLimit') {
        const reset = fault.withResetHeader
          ? Math.floor(Date.now() / 1000) + (fault.resetInSeconds ?? DEFAULT_FAULT_RESET_S)
          : undefined;
        send(rateLimited(), { limit: options.rateLimits?.[bucket] ?? 600, remaining: 0, reset });
        return;
      }

      const rate = limiter.take(bucket, Date.now());
      if (!rate.allowed) {
        send(rateLimited(), rate);
        return;
      }
      send(route(method, path, url, rawBody, req.headers.authorization), rate, fault?.kind === 'malformed');
    } catch (e) {
      send(oktaError(500, 'E0000009', 'Internal Server Error', [String((e as Error).message)]), null);
    } finally {
      inFlight--;
    }
  }

  function route(method: string, path: string, url: URL, rawBody: string, authorization: string | undefined): Reply {
    const now = Date.now();
    if (path === '/oauth2/v1/token') {
      if (method !== 'POST')
        return oktaError(405, 'E0000022', 'The endpoint does not support the provided HTTP method');
      return auth.token(new URLSearchParams(rawBody), `${okta.url}/oauth2/v1/token`, now);
    }
    const principal = auth.authenticate(authorization, now);
    if (!principal) return invalidToken();
    const match = matchRoute(path);
    if (!match) return oktaError(404, 'E0000007', `Not found: Resource not found: ${path} (Route)`);
    if (method !== 'GET') return oktaError(405, 'E0000022', 'The endpoint does not support the provided HTTP method');
    if (!hasScope(principal, match.route.scope)) return accessDenied();
    return match.route.handle({
      org: okta.org,
      baseUrl: okta.url,
      path,
      query: url.searchParams,
      params: match.params,
      now,
      logRetained: logRetained(),
    });
  }

  const server = createServer((req, res) => {
    void serve(req, res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  okta.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return okta;
}
