import type { FakeOkta, FaultKind, Json } from '../../fake-okta/types';
import type { SourceName } from '../../lambda/domain/inventory';
import { IDS } from '../okta/fixtures';
import { clientTuning } from './support/fast-okta-client';
import { jsonReply, type OktaProxy, type UpstreamReply } from './support/okta-proxy';

// The Okta rows of the fault matrix, run through both the CLI (okta-cli.test.ts) and the Lambda
// handler (okta-handler.test.ts) against the small org of test/okta/fixtures.ts. A row names the
// fault, installs it, and says which sources the scan must report as not read; the invariants
// (support/invariants.ts) are checked on every row by both paths.

export interface OktaCase {
  name: string;
  /** What goes wrong, for the matrix table. */
  fault: string;
  arrange(world: { fake: FakeOkta; proxy: OktaProxy }): void;
  /** Sources the report must name as not read; [] means the scan completes. */
  failed: SourceName[];
  /** The fixture itself changes, so verdicts may differ from the clean scan's (see `expect`). */
  changesData?: boolean;
  /** Findings the scan must produce, as "ruleId resourceId STATUS". */
  expect?: string[];
  /** What the client must have been asked to wait between attempts. */
  waits?: 'none' | 'reset' | 'backoff';
  /** Only these rules (the handler runs them as an ad-hoc scan, the CLI with --rules). */
  rules?: string[];
  /** How many findings each of these rules must give: one per resource. */
  findingsPerRule?: Record<string, number>;
}

const ALL_SOURCES_READ_FIRST: SourceName[] = [
  'zones',
  'agentPools',
  'apps',
  'provisioning',
  'workflowsEvents',
  'provisioningEvents',
  'agentEvents',
  'apiTokenUsage',
];
// The token usage query is a System Log read too, and it goes through the token list.
const LOGS: SourceName[] = ['workflowsEvents', 'provisioningEvents', 'agentEvents', 'apiTokenUsage'];

const ROUTES = {
  apiTokens: /^\/api\/v1\/api-tokens$/,
  agentPools: /^\/api\/v1\/agentPools$/,
  apps: /^\/api\/v1\/apps$/,
  connections: /^\/api\/v1\/apps\/[^/]+\/connections\/default$/,
  appUsers: /^\/api\/v1\/apps\/[^/]+\/users$/,
  logs: /^\/api\/v1\/logs$/,
  usersSearch: /^\/api\/v1\/users$/,
  userRoles: /^\/api\/v1\/users\/[^/]+\/roles$/,
  userGroups: /^\/api\/v1\/users\/[^/]+\/groups$/,
  zones: /^\/api\/v1\/zones$/,
} as const;

const fault =
  (route: RegExp | string, kind: FaultKind, times?: number) =>
  ({ fake }: { fake: FakeOkta }): void =>
    fake.fault({ route, fault: kind, times });

const faults =
  (...rules: [RegExp | string, FaultKind, number?][]) =>
  ({ fake }: { fake: FakeOkta }): void => {
    for (const [route, kind, times] of rules) fake.fault({ route, fault: kind, times });
  };

const status = (code: number): FaultKind => ({ kind: 'status', status: code });
const MAIN_ROUTES = [ROUTES.apiTokens, ROUTES.agentPools, ROUTES.apps, ROUTES.logs, ROUTES.usersSearch];

const okta401 = (): UpstreamReply =>
  jsonReply({ errorCode: 'E0000011', errorSummary: 'Invalid token provided', errorCauses: [] }, [], 401);

const token = (fake: FakeOkta, id: string): Json => fake.org.apiTokens.find((t) => t.id === id)!;
const agent = (fake: FakeOkta, id: string): Json => (fake.org.agentPools[0].agents as Json[]).find((a) => a.id === id)!;
const orgUser = (fake: FakeOkta, id: string): Json => fake.org.users.find((u) => u.id === id)!;

/** A list endpoint answered by the proxy in one page built from the fixture. */
function onePage(items: () => unknown[]): (ctx: { proxyUrl: string; path: string }) => UpstreamReply {
  return () => jsonReply(items());
}

export const OKTA_CASES: OktaCase[] = [
  // --- credentials revoked during the scan -------------------------------------------------
  {
    name: '401 mid-scan',
    fault: 'the API token is revoked after the first request: every later request gets 401 E0000011',
    arrange: ({ proxy }) =>
      proxy.override({ route: /^\/api\//, respond: (c) => (c.count < 1 ? c.upstream() : okta401()) }),
    failed: [...ALL_SOURCES_READ_FIRST, 'owners'],
  },

  // --- a scope missing, one source at a time --------------------------------------------------
  ...(
    [
      ['api-tokens', ROUTES.apiTokens, ['apiTokens', 'apiTokenUsage']],
      ['agentPools', ROUTES.agentPools, ['agentPools']],
      ['apps', ROUTES.apps, ['apps', 'provisioning']],
      ['provisioning connections', ROUTES.connections, ['provisioning']],
      ['System Log', ROUTES.logs, LOGS],
      ['users search', ROUTES.usersSearch, ['owners']],
      ['user roles', ROUTES.userRoles, ['ownerRoles']],
      ['user groups', ROUTES.userGroups, ['ownerGroups']],
      ['network zones', ROUTES.zones, ['zones']],
    ] as [string, RegExp, SourceName[]][]
  ).map(
    ([what, route, failed]): OktaCase => ({
      name: `403 on ${what}`,
      fault: `every read of ${what} answers 403 E0000006 (scope or admin role missing)`,
      arrange: fault(route, status(403)),
      failed,
    }),
  ),

  // --- rate limits ----------------------------------------------------------------------------
  {
    name: '429 storm with reset, passing',
    fault: 'two 429s on each main endpoint, X-Rate-Limit-Reset already passed',
    arrange: faults(
      ...MAIN_ROUTES.map((r): [RegExp, FaultKind, number] => [r, { kind: 'rateLimit', withResetHeader: true }, 2]),
    ),
    failed: [],
    waits: 'reset',
  },
  {
    name: '429 storm without reset, passing',
    fault: 'two 429s on each main endpoint, no X-Rate-Limit-Reset (the SDK alone would not retry)',
    arrange: faults(
      ...MAIN_ROUTES.map((r): [RegExp, FaultKind, number] => [r, { kind: 'rateLimit', withResetHeader: false }, 2]),
    ),
    failed: [],
    waits: 'backoff',
  },
  {
    name: '429 with a reset an hour away',
    fault: 'one 429 on agentPools whose reset lies an hour ahead (clock skew)',
    arrange: fault(ROUTES.agentPools, { kind: 'rateLimit', withResetHeader: true, resetInSeconds: 3600 }, 1),
    failed: [],
  },
  {
    name: '429 storm with reset, lasting',
    fault: 'every System Log request answers 429 with a reset header',
    arrange: fault(ROUTES.logs, { kind: 'rateLimit', withResetHeader: true }),
    failed: LOGS,
    waits: 'reset',
  },
  {
    name: '429 storm without reset, lasting',
    fault: 'every request answers 429 without a reset header, the first one included',
    arrange: fault(/^\/api\//, { kind: 'rateLimit', withResetHeader: false }),
    failed: ['apiTokens', ...ALL_SOURCES_READ_FIRST],
    waits: 'backoff',
  },

  // --- server errors --------------------------------------------------------------------------
  {
    name: '500/502/503 burst, passing',
    fault: 'two 500s on api-tokens, two 502s on agentPools, two 503s on apps and on the System Log',
    arrange: faults(
      [ROUTES.apiTokens, status(500), 2],
      [ROUTES.agentPools, status(502), 2],
      [ROUTES.apps, status(503), 2],
      [ROUTES.logs, status(503), 2],
    ),
    failed: [],
    waits: 'backoff',
  },
  {
    name: '502 lasting on apps',
    fault: 'the app list answers 502 every time',
    arrange: fault(ROUTES.apps, status(502)),
    failed: ['apps', 'provisioning'],
  },
  {
    name: '503 lasting on the System Log',
    fault: 'every System Log request answers 503',
    arrange: fault(ROUTES.logs, status(503)),
    failed: LOGS,
  },
  {
    name: '500 lasting on user groups',
    fault: "every read of a user's groups answers 500",
    arrange: fault(ROUTES.userGroups, status(500)),
    failed: ['ownerGroups'],
  },

  // --- slow and broken connections ------------------------------------------------------------
  {
    name: 'timeout, passing',
    fault: 'agentPools answers once after the request timeout',
    arrange: (w) => {
      clientTuning.requestTimeoutMs = 200;
      fault(ROUTES.agentPools, { kind: 'delay', ms: 500 }, 1)(w);
    },
    failed: [],
  },
  {
    name: 'timeout, lasting, first request',
    fault: 'api-tokens (the first request of a scan) always answers after the timeout',
    arrange: (w) => {
      clientTuning.requestTimeoutMs = 200;
      fault(ROUTES.apiTokens, { kind: 'delay', ms: 500 })(w);
    },
    failed: ['apiTokens', 'apiTokenUsage'],
  },
  {
    name: 'dropped connection, passing',
    fault: 'the users search connection is cut twice',
    arrange: fault(ROUTES.usersSearch, { kind: 'drop' }, 2),
    failed: [],
  },
  {
    name: 'dropped connection, lasting',
    fault: 'every agentPools connection is cut',
    arrange: fault(ROUTES.agentPools, { kind: 'drop' }),
    failed: ['agentPools'],
  },

  // --- bodies that are not what the endpoint returns ------------------------------------------
  {
    name: 'truncated JSON, passing',
    fault: 'the api-tokens page is cut in half once',
    arrange: fault(ROUTES.apiTokens, { kind: 'malformed' }, 1),
    failed: [],
  },
  {
    name: 'truncated JSON, lasting',
    fault: 'every app-users page is cut in half',
    arrange: fault(ROUTES.appUsers, { kind: 'malformed' }),
    failed: ['provisioning'],
  },
  {
    name: 'HTML instead of JSON',
    fault: 'agentPools answers 200 with an HTML page (a proxy login page)',
    arrange: ({ proxy }) =>
      proxy.override({
        route: ROUTES.agentPools,
        respond: () => ({ status: 200, headers: { 'content-type': 'text/html' }, body: '<html>Sign in</html>' }),
      }),
    failed: ['agentPools'],
  },
  {
    name: 'null instead of a list',
    fault: 'api-tokens answers 200 with the JSON body null',
    arrange: ({ proxy }) => proxy.override({ route: ROUTES.apiTokens, respond: () => jsonReply('null') }),
    failed: ['apiTokens', 'apiTokenUsage'],
  },
  {
    name: 'an object instead of a list',
    fault: 'the System Log answers 200 with a JSON object',
    arrange: ({ proxy }) => proxy.override({ route: ROUTES.logs, respond: () => jsonReply({ events: [] }) }),
    failed: LOGS,
  },

  // --- paging -----------------------------------------------------------------------------------
  {
    name: 'empty page with next, then data',
    fault: 'the first api-tokens page is empty but links to a next page holding every token',
    arrange: ({ proxy }) =>
      proxy.override({
        route: ROUTES.apiTokens,
        times: 1,
        respond: (c) => jsonReply([], [`<${c.proxyUrl}${c.path}?after=fk1.b2Zmc2V0OjA&limit=20>; rel="next"`]),
      }),
    failed: [],
  },
  {
    name: 'empty pages with next, forever',
    fault: 'api-tokens answers empty pages, each with a next link, without end',
    arrange: ({ proxy }) =>
      proxy.override({
        route: ROUTES.apiTokens,
        respond: (c) => jsonReply([], [`<${c.proxyUrl}${c.path}?after=empty${c.count}>; rel="next"`]),
      }),
    failed: ['apiTokens', 'apiTokenUsage'],
  },
  {
    name: 'paging loop',
    fault: "api-tokens' next link points back to the first page",
    arrange: ({ proxy }) =>
      proxy.override({
        route: ROUTES.apiTokens,
        respond: async (c) => jsonReply((await c.upstream()).body, [`<${c.proxyUrl}${c.path}>; rel="next"`]),
      }),
    failed: ['apiTokens', 'apiTokenUsage'],
  },
  {
    name: 'paging loop, new cursor',
    fault: 'api-tokens hands out a new cursor every time, for the same page of tokens',
    arrange: ({ proxy }) =>
      proxy.override({
        route: ROUTES.apiTokens,
        respond: async (c) =>
          jsonReply((await c.upstream()).body, [`<${c.proxyUrl}${c.path}?after=loop${c.count}>; rel="next"`]),
      }),
    failed: ['apiTokens', 'apiTokenUsage'],
  },
  {
    name: 'huge page',
    fault: 'api-tokens answers 5,000 tokens in one page',
    changesData: true,
    arrange: ({ fake, proxy }) => {
      const svc = token(fake, '00Tsvc00000000000003');
      for (let i = 0; i < 5000; i++) {
        fake.org.apiTokens.push({ ...svc, id: `00Tbulk${String(i).padStart(13, '0')}`, name: `bulk ${i}` });
      }
      proxy.override({ route: ROUTES.apiTokens, respond: onePage(() => fake.org.apiTokens) });
    },
    failed: [],
    rules: ['api-token-owner-not-active'],
    findingsPerRule: { 'api-token-owner-not-active': 5004 },
    expect: [
      'api-token-owner-not-active 00Tbulk0000000004999 PASS',
      'api-token-owner-not-active 00Tbob00000000000002 FAIL',
    ],
  },

  // --- values this scanner has never seen -----------------------------------------------------
  {
    name: 'unknown user status',
    fault: 'alice (token owner, Workflows authorizer) has status PENDING_REVIEW',
    changesData: true,
    arrange: ({ fake }) => {
      orgUser(fake, IDS.alice).status = 'PENDING_REVIEW';
    },
    failed: [],
    expect: [
      'api-token-owner-not-active 00Talice0000000000001 FAIL',
      'workflows-connection-authorizer-not-active wfc1 FAIL',
    ],
  },
  {
    name: 'unknown role type',
    fault: 'the service account also holds a role type Okta adds later (CHIEF_ADMIN)',
    changesData: true,
    arrange: ({ fake }) => {
      fake.org.roleAssignments.push({ id: 'ra-new', type: 'CHIEF_ADMIN', label: 'Chief', userId: IDS.svc });
    },
    failed: [],
    expect: ['api-token-owner-super-admin 00Tsvc00000000000003 PASS'],
  },
  {
    name: 'unknown agent status',
    fault: 'the new AD agent reports operationalStatus DEGRADED_MODE',
    changesData: true,
    arrange: ({ fake }) => {
      agent(fake, IDS.newAgent).operationalStatus = 'DEGRADED_MODE';
    },
    failed: [],
    expect: ['ad-agent-not-operational a53agentnew000000002 FAIL'],
  },
  {
    name: 'unknown app status',
    fault: 'the Org2Org app comes back (despite the ACTIVE filter) with status ACTIVE_READONLY',
    changesData: true,
    arrange: ({ fake, proxy }) =>
      proxy.override({
        route: ROUTES.apps,
        respond: async (c) => {
          const reply = await c.upstream();
          const apps = JSON.parse(reply.body) as Json[];
          for (const app of apps) if (app.id === IDS.o2o) app.status = 'ACTIVE_READONLY';
          void fake;
          return { ...reply, body: JSON.stringify(apps) };
        },
      }),
    failed: [],
  },
  {
    name: 'unknown connection and network values',
    fault: 'a provisioning connection status PAUSED; a token network connection ANYWHERE_EXCEPT_BLOCKED',
    changesData: true,
    arrange: ({ fake }) => {
      fake.org.apps[0].connection!.status = 'PAUSED';
      token(fake, '00Tsvc00000000000003').network = { connection: 'ANYWHERE_EXCEPT_BLOCKED' };
    },
    failed: [],
    expect: [
      'provisioning-connection-disabled 0oao2o00000000000001 UNKNOWN',
      'api-token-unrestricted-network 00Tsvc00000000000003 UNKNOWN',
    ],
  },

  // --- fields missing or null -----------------------------------------------------------------
  {
    name: 'token without userId and expiresAt',
    fault: 'the Terraform token has no userId and expiresAt null',
    changesData: true,
    arrange: ({ fake }) => {
      const t = token(fake, '00Tsvc00000000000003');
      delete t.userId;
      t.expiresAt = null;
    },
    failed: [],
    expect: [
      'api-token-owner-not-active 00Tsvc00000000000003 UNKNOWN',
      'api-token-owner-is-human 00Tsvc00000000000003 UNKNOWN',
      'api-token-owner-super-admin 00Tsvc00000000000003 UNKNOWN',
      'api-token-expiring 00Tsvc00000000000003 UNKNOWN',
    ],
  },
  {
    name: 'agent without version or status',
    fault: 'the new AD agent has no version and operationalStatus null',
    changesData: true,
    arrange: ({ fake }) => {
      const a = agent(fake, IDS.newAgent);
      delete a.version;
      a.operationalStatus = null;
    },
    failed: [],
    expect: [
      'ad-agent-token-based a53agentnew000000002 UNKNOWN',
      'ad-agent-not-operational a53agentnew000000002 UNKNOWN',
    ],
  },
  {
    name: 'log events without actor or target',
    fault: 'every System Log event comes without actor and with target null',
    changesData: true,
    arrange: ({ fake }) => {
      for (const event of fake.org.logs) {
        delete event.actor;
        event.target = null;
      }
    },
    failed: ['workflowsEvents'],
    expect: [
      'provisioning-auth-failing 0oao2o00000000000001 UNKNOWN',
      'provisioning-auth-failing 0oascim0000000000002 UNKNOWN',
      'provisioning-deactivation-not-pushed 0oascim0000000000002/* UNKNOWN',
    ],
  },
  {
    name: 'user deleted between two reads',
    fault: 'alice is found by the users search, then deleted before her groups and roles are read',
    changesData: true,
    arrange: ({ fake, proxy }) =>
      proxy.override({
        route: ROUTES.usersSearch,
        respond: async (c) => {
          const reply = await c.upstream();
          fake.org.users = fake.org.users.filter((u) => u.id !== IDS.alice);
          return reply;
        },
      }),
    failed: ['ownerGroups', 'ownerRoles'],
    expect: ['api-token-owner-is-human 00Talice0000000000001 UNKNOWN'],
  },

  // --- dates ------------------------------------------------------------------------------------
  {
    name: 'dates in odd formats',
    fault: 'expiresAt as +14:00 offset, US date, epoch ms, words, date only; agent lastConnection as text',
    changesData: true,
    arrange: ({ fake }) => {
      token(fake, '00Tsvc00000000000003').expiresAt = '2026-11-29T10:00:00+14:00';
      token(fake, '00Tbob00000000000002').expiresAt = '12/01/2026';
      token(fake, '00Tfrank000000000004').expiresAt = 1_766_224_800_000;
      token(fake, '00Talice0000000000001').expiresAt = 'next tuesday';
      agent(fake, IDS.newAgent).lastConnection = '2026-11-26T00:00:00Z';
      fake.org.logs[0].published = '2026-10-18 02:00:00';
    },
    failed: [],
    expect: [
      'api-token-expiring 00Tsvc00000000000003 FAIL',
      'api-token-expiring 00Tbob00000000000002 FAIL',
      'api-token-expiring 00Tfrank000000000004 FAIL',
      'api-token-expiring 00Talice0000000000001 UNKNOWN',
    ],
  },
];
