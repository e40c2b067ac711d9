import { matchesFilter, parseFilter } from '../fake-okta/scim-filter';
import type { FakeApp, FakeOrgFixture, Json, RateLimitBucket } from '../fake-okta/types';
import { isTokenBasedAgentVersion } from '../lambda/domain/ad-agent';
import { type LogEventSummary, type SourceName, withDependencies } from '../lambda/domain/inventory';
import { pushesUsers } from '../lambda/domain/provisioning';
import { sourcesFor } from '../lambda/engine';
import { AGENT_EVENT_TYPES, registrationsByAgent } from '../lambda/okta/collectors/agent-events';
import { TOKEN_USAGE_BATCH_SIZE, tokenUsageFilter } from '../lambda/okta/collectors/api-token-usage';
import { PROVISIONING_FEATURES } from '../lambda/okta/collectors/apps';
import { SEARCH_BATCH_SIZE } from '../lambda/okta/collectors/owners';
import {
  AUTH_FAILURE_FILTER,
  AUTHORIZATION_FILTER,
  DEACTIVATION_FAILURE_FILTER,
  lastAuthorizationPerApp,
} from '../lambda/okta/collectors/provisioning-events';
import { replayWorkflowsConnections, WORKFLOWS_EVENT_TYPES } from '../lambda/okta/collectors/workflows-connections';
import {
  WORKFLOWS_USAGE_FILTER,
  withWorkflowsUsage,
  workflowsUsageByActor,
} from '../lambda/okta/collectors/workflows-usage';
import { eventTypeFilter, logWindow, summarizeEvent } from '../lambda/okta/system-log';
import { usageEvent } from '../lambda/okta/usage-events';

// The fewest requests a scan of a given org needs, and the time Okta's rate limits allow them,
// computed from the fixture alone. The scanner's own pure reducers decide which users the data
// references (that is what the scan must read); the page sizes are Okta's largest.

export type Bucket = RateLimitBucket;
export type Counts = Partial<Record<Bucket, number>>;

/** Okta's last published per-minute limits (Workforce) for the buckets a scan uses: docs/okta-facts.md#rate-limits. */
export const OKTA_LIMITS: Readonly<Partial<Record<Bucket, number>>> = {
  apps: 100,
  logs: 120,
  usersList: 600,
  userById: 2_000,
  other: 1_200,
};
export type Limits = Readonly<Partial<Record<Bucket, number>>>;

/**
 * The limits a client actually gets: API tokens created in the Admin Console are held to 50 %
 * of each bucket by default (docs/okta-facts.md#rate-limits), so `share` 50 models a default SSWS token.
 */
export function limitsAt(share: number): Limits {
  return Object.fromEntries(
    Object.entries(OKTA_LIMITS).map(([bucket, limit]) => [bucket, Math.max(1, Math.floor((limit * share) / 100))]),
  );
}

export const OKTA_WINDOW_MS = 60_000;
export const OKTA_CONCURRENCY = 75;
export const OKTA_LATENCY_MS = 60;

/** Largest pages: apps 200, app users 500, logs 1000, user search 200, zones 200 (as the scanner asks); api-tokens take no limit (20). */
export const PAGE = { apps: 200, appUsers: 500, logs: 1_000, apiTokens: 20, agentPoolsPerType: 5, zones: 200 };
/** What a client that sets no `limit` gets. */
export const DEFAULT_PAGE = { users: 200, apps: 20, appUsers: 50, logs: 100, apiTokens: 20, agentPoolsPerType: 5 };

const pages = (items: number, size: number): number => Math.max(1, Math.ceil(items / size));

export function add(into: Counts, bucket: Bucket, n: number): void {
  into[bucket] = (into[bucket] ?? 0) + n;
}

export function total(counts: Counts): number {
  return Object.values(counts).reduce((a, b) => a + (b ?? 0), 0);
}

function inWindow(org: FakeOrgFixture, lookbackDays: number): Json[] {
  const window = logWindow(new Date(org.asOf), lookbackDays);
  const since = Date.parse(window.since);
  const until = Date.parse(window.until);
  return org.logs.filter((e) => {
    const t = Date.parse(String(e.published));
    return t >= since && t < until;
  });
}

function query(events: Json[], filter: string): LogEventSummary[] {
  const expr = parseFilter(filter);
  return events
    .filter((e) => matchesFilter(expr, e))
    .map((e) => summarizeEvent(e))
    .sort((a, b) => a.published.localeCompare(b.published));
}

function isProvisioning(app: Json): boolean {
  const features = Array.isArray(app.features) ? (app.features as string[]) : [];
  return (
    app.status === 'ACTIVE' && (app.name === 'okta_org2org' || features.some((f) => PROVISIONING_FEATURES.includes(f)))
  );
}

const status = (value: unknown): string | null => {
  const s = (value as Json | undefined)?.status;
  return typeof s === 'string' ? s : null;
};

/** Whether the scan reads the app's users: only when Okta may push users to it (an Org2Org app may not). */
function readsUsers(a: FakeApp): boolean {
  const feature = a.features?.find((f) => f.name === 'USER_PROVISIONING');
  const capabilities = (feature?.capabilities ?? {}) as Json;
  const create = (capabilities.create ?? {}) as Json;
  const update = (capabilities.update ?? {}) as Json;
  return (
    pushesUsers({
      id: String(a.app.id),
      name: String(a.app.name),
      label: String(a.app.label),
      status: String(a.app.status),
      signOnMode: null,
      features: Array.isArray(a.app.features) ? (a.app.features as string[]) : [],
      connection: null,
      userProvisioning: feature
        ? {
            status: String(feature.status),
            lifecycleCreate: status(create.lifecycleCreate),
            lifecycleDeactivate: status(update.lifecycleDeactivate),
          }
        : null,
      // The fake answers 400 "provisioning is not enabled" for an app without features.
      featuresAvailable: a.features !== undefined,
      usersInError: null,
    }) !== false
  );
}

export interface ScannerFloor {
  requests: Counts;
  /** What the floor is made of, for the report. */
  parts: Record<string, number>;
  /** Events the scan's queries match. */
  relevantEvents: number;
  /** Events of every concern the inventory knows (token creations too, though no rule reads them yet). */
  concernEvents: number;
}

/**
 * The sources a full scan reads: those the rules need, plus what they depend on (as
 * collectInventory adds them). A source no rule reads costs nothing in the floor.
 */
export function scannerFloor(org: FakeOrgFixture, lookbackDays: number): ScannerFloor {
  const requests: Counts = {};
  const parts: Record<string, number> = {};
  const part = (name: string, bucket: Bucket, n: number): void => {
    parts[name] = n;
    add(requests, bucket, n);
  };
  const wanted = withDependencies(sourcesFor());

  if (wanted.has('apiTokens')) part('api-tokens pages', 'other', pages(org.apiTokens.length, PAGE.apiTokens));
  if (wanted.has('zones')) part('network zones pages', 'other', pages(org.zones?.length ?? 0, PAGE.zones));
  const adPools = org.agentPools.filter((pool) => pool.type === 'AD').length;
  if (wanted.has('agentPools')) part('agentPools pages', 'other', pages(adPools, PAGE.agentPoolsPerType));

  const active = org.apps.filter((a) => a.app.status === 'ACTIVE');
  const provisioning = wanted.has('apps') ? active.filter((a) => isProvisioning(a.app)) : [];
  if (wanted.has('apps')) part('apps list pages', 'apps', pages(active.length, PAGE.apps));
  if (wanted.has('provisioning')) {
    part('app connections', 'apps', provisioning.length);
    part('app features', 'apps', provisioning.length);
    part(
      'app user pages',
      'apps',
      provisioning.filter(readsUsers).reduce((n, a) => n + pages(a.users?.length ?? 0, PAGE.appUsers), 0),
    );
  }

  const events = inWindow(org, lookbackDays);
  const read = (source: SourceName, filter: string): LogEventSummary[] | null =>
    wanted.has(source) ? query(events, filter) : null;
  const workflows = read('workflowsEvents', eventTypeFilter(WORKFLOWS_EVENT_TYPES)) ?? [];
  const authFailures = read('provisioningEvents', AUTH_FAILURE_FILTER);
  const deactivationFailures = read('provisioningEvents', DEACTIVATION_FAILURE_FILTER) ?? [];
  const updates = read('provisioningEvents', AUTHORIZATION_FILTER) ?? [];
  const agentEvents = read('agentEvents', eventTypeFilter(AGENT_EVENT_TYPES)) ?? [];
  const tokenEvents = read('apiTokenEvents', eventTypeFilter(['system.api_token.create']));
  const matching = (filter: string): Json[] => {
    const expr = parseFilter(filter);
    return events.filter((e) => matchesFilter(expr, e));
  };
  const workflowsUsage = wanted.has('workflowsEvents') ? matching(WORKFLOWS_USAGE_FILTER) : [];
  // Token usage: one query per batch of ids; one query per token would cost a page per token.
  const tokenIds = wanted.has('apiTokenUsage') ? org.apiTokens.map((t) => String(t.id)) : [];
  const batches: string[][] = [];
  for (let i = 0; i < tokenIds.length; i += TOKEN_USAGE_BATCH_SIZE) {
    batches.push(tokenIds.slice(i, i + TOKEN_USAGE_BATCH_SIZE));
  }
  const usagePages = batches.reduce((n, batch) => n + pages(matching(tokenUsageFilter(batch)).length, PAGE.logs), 0);
  if (wanted.has('apiTokenUsage')) {
    part('token usage log pages', 'logs', usagePages);
    parts['(token usage log pages, one query per token)'] = tokenIds.reduce(
      (n, id) => n + pages(matching(tokenUsageFilter([id])).length, PAGE.logs),
      0,
    );
  }
  if (wanted.has('workflowsEvents'))
    part('Workflows activity log pages', 'logs', pages(workflowsUsage.length, PAGE.logs));
  const queries = [
    wanted.has('workflowsEvents') ? workflows : null,
    authFailures,
    wanted.has('provisioningEvents') ? deactivationFailures : null,
    wanted.has('provisioningEvents') ? updates : null,
    wanted.has('agentEvents') ? agentEvents : null,
    tokenEvents,
  ].filter((q): q is LogEventSummary[] => q !== null);
  part(
    `log pages (${queries.length} bounded queries)`,
    'logs',
    queries.reduce((n, q) => n + pages(q.length, PAGE.logs), 0),
  );

  // The users the inventory references, exactly as collectInventory picks them.
  const userIds = new Set<string>();
  if (wanted.has('apiTokens'))
    for (const token of org.apiTokens) if (typeof token.userId === 'string' && token.userId) userIds.add(token.userId);
  const acting = workflowsUsageByActor(workflowsUsage.map((e) => usageEvent(e)));
  for (const connection of withWorkflowsUsage(replayWorkflowsConnections(workflows).live, acting)) {
    const by = connection.lastAuthorizedBy;
    if (by?.type === 'User' && by.id) userIds.add(by.id);
  }
  for (const event of Object.values(lastAuthorizationPerApp(updates))) {
    if (event.actor?.type === 'User' && event.actor.id) userIds.add(event.actor.id);
  }
  const agents = org.agentPools
    .filter((pool) => wanted.has('agentPools') && pool.type === 'AD')
    .flatMap((pool) => (Array.isArray(pool.agents) ? (pool.agents as Json[]) : []));
  const registrations = registrationsByAgent(agentEvents, new Set(agents.map((a) => String(a.id))));
  for (const agent of agents) {
    if (!isTokenBasedAgentVersion(typeof agent.version === 'string' ? agent.version : null)) continue;
    const actor = registrations[String(agent.id)]?.actor;
    if (actor?.type === 'User' && actor.id) userIds.add(actor.id);
  }
  const statusOnly = new Set<string>();
  for (const app of provisioning) {
    for (const user of app.users ?? []) if (user.syncState === 'ERROR') statusOnly.add(String(user.id));
  }
  for (const event of deactivationFailures) {
    for (const target of event.target) if (target.type === 'User' && target.id) statusOnly.add(target.id);
  }
  const searched = new Set([...userIds, ...statusOnly]);
  const known = new Set(org.users.map((u) => String(u.id)));
  const owners = [...userIds].filter((id) => known.has(id));
  if (wanted.has('owners')) {
    part('user search batches', 'usersList', Math.ceil(searched.size / SEARCH_BATCH_SIZE));
    const missing = [...searched].filter((id) => !known.has(id)).length;
    if (missing > 0) part('getUser for ids the search did not find', 'userById', missing);
  }
  if (wanted.has('ownerGroups')) part('owner groups', 'other', owners.length);
  if (wanted.has('ownerRoles')) part('owner roles', 'other', owners.length);
  parts['(owners)'] = owners.length;
  parts['(status-only users)'] = [...statusOnly].filter((id) => !userIds.has(id)).length;

  const concernEvents = [
    eventTypeFilter(WORKFLOWS_EVENT_TYPES),
    AUTH_FAILURE_FILTER,
    DEACTIVATION_FAILURE_FILTER,
    AUTHORIZATION_FILTER,
    eventTypeFilter(AGENT_EVENT_TYPES),
    eventTypeFilter(['system.api_token.create']),
  ].reduce((n, filter) => n + query(events, filter).length, 0);
  return { requests, parts, relevantEvents: queries.reduce((n, q) => n + q.length, 0), concernEvents };
}

export type NaivePhase = 'tokens and agent pools' | 'users and roles' | 'apps' | 'log';

export interface NaivePlan {
  requests: Counts;
  byPhase: Record<NaivePhase, number>;
  /** Seconds a sequential client needs per phase: a latency per request, or the phase's slowest bucket at its limit. */
  modelMs: Record<NaivePhase, number>;
}

/** What the naive baseline asks for on this org (default page sizes: it sets no `limit`). */
export function naivePlan(org: FakeOrgFixture, lookbackDays: number, limits: Limits = OKTA_LIMITS): NaivePlan {
  const requests: Counts = {};
  const byPhase = { 'tokens and agent pools': 0, 'users and roles': 0, apps: 0, log: 0 } as Record<NaivePhase, number>;
  const phaseBuckets = {} as Record<NaivePhase, Counts>;
  const part = (phase: NaivePhase, bucket: Bucket, n: number): void => {
    byPhase[phase] += n;
    add(requests, bucket, n);
    phaseBuckets[phase] ??= {};
    add(phaseBuckets[phase], bucket, n);
  };
  part('tokens and agent pools', 'other', pages(org.apiTokens.length, DEFAULT_PAGE.apiTokens));
  const perType = new Map<string, number>();
  for (const pool of org.agentPools) perType.set(String(pool.type), (perType.get(String(pool.type)) ?? 0) + 1);
  part('tokens and agent pools', 'other', pages(Math.max(0, ...perType.values()), DEFAULT_PAGE.agentPoolsPerType));
  const listed = org.users.filter((u) => u.status !== 'DEPROVISIONED').length;
  part('users and roles', 'usersList', pages(listed, DEFAULT_PAGE.users));
  part('users and roles', 'other', listed);
  const apps = org.apps.filter((a) => a.app.status !== 'DELETED');
  part('apps', 'apps', pages(apps.length, DEFAULT_PAGE.apps));
  part(
    'apps',
    'apps',
    apps.reduce((n, a) => n + 2 + pages(a.users?.length ?? 0, DEFAULT_PAGE.appUsers), 0),
  );
  part('log', 'logs', pages(inWindow(org, lookbackDays).length, DEFAULT_PAGE.logs));
  const modelMs = Object.fromEntries(
    (Object.keys(byPhase) as NaivePhase[]).map((phase) => [
      phase,
      Math.max(byPhase[phase] * OKTA_LATENCY_MS, timeFloor(phaseBuckets[phase], limits, OKTA_LATENCY_MS, 0).ms),
    ]),
  ) as Record<NaivePhase, number>;
  return { requests, byPhase, modelMs };
}

export interface TimeFloor {
  /** Per bucket: requests / limit * window. */
  perBucketMs: Counts;
  dominant: Bucket;
  /** Max over buckets plus the latency chain that cannot overlap it. */
  ms: number;
  /**
   * Stricter, for a fixed window that opens at its first request: only full windows before the
   * last one must be waited out, (ceil(n / limit) - 1) * window, plus the same chain. Lower than
   * `ms` when a bucket's last window is partly used (a medium org's 123 app reads: 60 s, not 74 s).
   */
  windowsMs: number;
}

/**
 * The rate-limit floor for a set of requests: the slowest bucket at its full rate, plus two
 * latencies (the owner search and its groups/roles can only start after the last app read).
 */
export function timeFloor(
  requests: Counts,
  limits: Limits = OKTA_LIMITS,
  latencyMs = OKTA_LATENCY_MS,
  chain = 2,
): TimeFloor {
  const perBucketMs: Counts = {};
  let dominant: Bucket = 'other';
  let worst = -1;
  let worstWindows = 0;
  for (const [bucket, n] of Object.entries(requests) as [Bucket, number][]) {
    const limit = limits[bucket];
    const ms = limit ? (n / limit) * OKTA_WINDOW_MS : n * latencyMs;
    perBucketMs[bucket] = ms;
    if (limit) worstWindows = Math.max(worstWindows, Math.max(0, Math.ceil(n / limit) - 1) * OKTA_WINDOW_MS);
    if (ms > worst) {
      worst = ms;
      dominant = bucket;
    }
  }
  const chainMs = chain * latencyMs;
  return { perBucketMs, dominant, ms: Math.max(0, worst) + chainMs, windowsMs: worstWindows + chainMs };
}
