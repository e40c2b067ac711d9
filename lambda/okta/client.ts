import { Client } from '@okta/okta-sdk-nodejs';
import { SOURCE_SCOPES } from '../domain/inventory';
import type { GateSnapshot } from '../domain/scan-step';
import { CredentialsError, OktaTokenEndpointError } from '../errors';
import { type AnswerJournal, journalKey } from './answer-journal';
import { type OktaConnection, orgHost } from './connection';
import { credentialsProblem } from './describe-okta-error';
import { PacedRequestExecutor, type RequestStats } from './paced-request-executor';
import type { StepBudget } from './step-budget';

export type { RequestStats } from './paced-request-executor';

/** The SDK client plus what the scanner needs around it. Build it with createOktaClient. */
export interface OktaClient {
  readonly sdk: Client;
  /** Origin of the org, e.g. https://acme.okta.com. */
  readonly orgUrl: string;
  readonly authMode: 'token' | 'privateKey';
  /** OAuth scopes requested (service app only; empty for an API token). */
  readonly scopes: readonly string[];
  /** Live counters: every HTTP attempt, every 429, every retry. */
  readonly stats: RequestStats;
  readonly sleep: (ms: number) => Promise<void>;
  readonly now: () => number;
  /** The rate-limit windows as last seen, for the next scan step (`gateState`). */
  gateSnapshot(): GateSnapshot;
}

export interface OktaClientOptions {
  /** Per HTTP attempt, body included. Default 30 s. */
  requestTimeoutMs?: number;
  /** Retries per request for 429, 423, 5xx, timeouts, dropped connections and malformed bodies. Default 2. */
  maxRetries?: number;
  sleep?: (ms: number) => Promise<void>;
  now?: () => number;
  /**
   * OAuth scopes to request (default: every read scope). Okta refuses the whole token when one
   * requested scope is not granted, so a scan asks only for what its rules need.
   */
  scopes?: readonly string[];
  /** A scan step: Okta's answers already read (answered from, never re-requested) and recorded to. */
  journal?: AnswerJournal;
  /** A scan step: when to stop sending and waiting (StepInterrupted). */
  budget?: StepBudget;
  /** A scan step: the rate-limit windows the previous step left (its client's gateSnapshot()). */
  gateState?: GateSnapshot;
}

/** Read-only: the scanner asks for exactly the scopes its sources need. */
export const READ_SCOPES: readonly string[] = [...new Set(Object.values(SOURCE_SCOPES))].sort();

const realSleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * The SDK's ConfigLoader merges ~/.okta/okta.yaml, ./okta.yaml and OKTA_CLIENT_* variables under
 * the constructor values, and skips constructor values that are undefined. So every field it
 * reads is given here, empty where unused, or a stray OKTA_CLIENT_AUTHORIZATIONMODE or
 * OKTA_CLIENT_KEYID on the machine would change how the scanner signs in.
 */
function sdkConfig(connection: OktaConnection, scopes: string[]): Record<string, unknown> {
  const auth = connection.auth;
  if (auth.kind === 'token') {
    return {
      orgUrl: connection.orgUrl,
      authorizationMode: 'SSWS',
      token: auth.token,
      clientId: '',
      scopes: [] as string[],
      privateKey: '',
      keyId: '',
    };
  }
  return {
    orgUrl: connection.orgUrl,
    authorizationMode: 'PrivateKey',
    token: '',
    clientId: auth.clientId,
    scopes,
    privateKey: auth.privateKey,
    keyId: auth.keyId ?? '',
  };
}

function sdkClient(connection: OktaConnection, scopes: string[], executor: PacedRequestExecutor): Client {
  try {
    return new Client({
      ...sdkConfig(connection, scopes),
      requestExecutor: executor,
      // The default cache keeps GET results with no TTL across warm Lambda runs, and hangs on
      // bodies over ~100 KB (toolchain.md).
      cacheMiddleware: null,
    });
  } catch (error) {
    // The SDK's messages name missing fields only; a malformed okta.yaml message could quote
    // the file, so it is not repeated.
    const message = error instanceof Error ? error.message : '';
    const known = message.match(
      /Okta Org URL not provided|Okta API token not provided|Okta Client ID not provided|Scopes not provided|Private Key not provided|Unknown Authorization Mode/g,
    );
    throw new CredentialsError(
      `Could not set up the Okta client for ${orgHost(connection.orgUrl)}${known ? `: ${known.join('; ')}` : ' (check any okta.yaml or OKTA_CLIENT_* settings on this machine)'}`,
      { cause: known ? error : undefined },
    );
  }
}

export function createOktaClient(connection: OktaConnection, options: OktaClientOptions = {}): OktaClient {
  const sleep = options.sleep ?? realSleep;
  const now = options.now ?? Date.now;
  const executor = new PacedRequestExecutor({
    maxRetries: options.maxRetries ?? 2,
    requestTimeoutMs: options.requestTimeoutMs ?? 30_000,
    sleep,
    now,
    journal: options.journal,
    budget: options.budget,
    state: options.gateState,
  });
  const auth = connection.auth;
  const scopes = auth.kind === 'token' ? [] : [...new Set(options.scopes ?? READ_SCOPES)].sort();
  const sdk = sdkClient(connection, scopes, executor);
  if (options.journal) skipTokenForJournaled(sdk, options.journal);
  return {
    sdk,
    orgUrl: connection.orgUrl,
    authMode: auth.kind,
    scopes,
    stats: executor.stats,
    sleep,
    now,
    gateSnapshot: () => executor.gateSnapshot(),
  };
}

interface SdkHttp {
  prepareRequest(request: { url?: string; method?: string }): Promise<void>;
}

interface SdkOAuth {
  getAccessToken(dpopNonce?: string | null): Promise<unknown>;
}

/**
 * The SDK asks for an access token before it hands a request to the executor; a request the
 * journal answers needs none, so a step that only replays asks Okta for nothing. A resumed step
 * replays its first source and then starts every source at once: their first requests share one
 * token request instead of each asking (the SDK caches a token only once it has it).
 */
function skipTokenForJournaled(sdk: Client, journal: AnswerJournal): void {
  const { http, oauth } = sdk as unknown as { http?: SdkHttp; oauth?: SdkOAuth };
  if (!http || typeof http.prepareRequest !== 'function') return;
  const prepare = http.prepareRequest.bind(http);
  http.prepareRequest = (request) =>
    request.url && journal.answer(journalKey(String(request.method ?? 'get'), request.url))
      ? Promise.resolve()
      : prepare(request);
  if (!oauth || typeof oauth.getAccessToken !== 'function') return;
  const getToken = oauth.getAccessToken.bind(oauth);
  let pending: Promise<unknown> | null = null;
  oauth.getAccessToken = (dpopNonce) => {
    // With a DPoP nonce the SDK is retrying its own token request: that one goes through.
    if (dpopNonce) return getToken(dpopNonce);
    pending ??= getToken().finally(() => {
      pending = null;
    });
    return pending;
  };
}

/** Which of the requested scopes the service app may have, and what finding out cost. */
export interface ScopeGrants {
  granted: string[];
  refused: string[];
  stats: RequestStats;
}

/**
 * Asks the token endpoint for each scope on its own (one token request per scope, no API call),
 * because Okta refuses a whole client-credentials request when one scope is not granted and
 * does not say which. Only for a service app; a refusal other than invalid_scope (a bad key or
 * client id, an unreachable org) is thrown as the first request of a scan would throw it.
 */
export async function grantedScopes(
  connection: OktaConnection,
  scopes: readonly string[],
  options: Omit<OktaClientOptions, 'scopes'> = {},
): Promise<ScopeGrants> {
  const stats: RequestStats = { requests: 0, throttled: 0, retries: 0 };
  if (connection.auth.kind === 'token') return { granted: [], refused: [], stats };
  const wanted = [...new Set(scopes)].sort();
  // One at a time: a handful of token requests, and a bad key stops the probing at the first.
  const granted: string[] = [];
  const refused: string[] = [];
  for (const scope of wanted) {
    const client = createOktaClient(connection, { ...options, scopes: [scope] });
    try {
      await client.sdk.oauth.getAccessToken();
      granted.push(scope);
    } catch (error) {
      if (!(error instanceof OktaTokenEndpointError && error.error === 'invalid_scope')) {
        throw credentialsProblem(error, client) ?? error;
      }
      refused.push(scope);
    } finally {
      stats.requests += client.stats.requests;
      stats.throttled += client.stats.throttled;
      stats.retries += client.stats.retries;
    }
  }
  return { granted, refused, stats };
}
