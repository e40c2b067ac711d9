import { loadOrg } from '../fake-okta/server';
import type { FakeApp, FakeGroup, FakeOrgFixture, FakeRoleAssignment, Json } from '../fake-okta/types';

// Synthetic orgs for the benchmark, in the fake server's fixture shape. Deterministic for a
// seed, so a result file can be compared across commits. Objects that many records share
// (dates, actors, the log client) are shared references: the server only serialises them, and
// 100,000 users stay in tens of MB.

export type OrgSize = 'small' | 'medium' | 'large';
export const ORG_SIZES: readonly OrgSize[] = ['small', 'medium', 'large'];

export interface OrgShape {
  users: number;
  apiTokens: number;
  tokenOwners: number;
  agentPools: number;
  agents: number;
  apps: number;
  provisioningApps: number;
  /** System Log events in the lookback window. */
  logs: number;
  /** Of those, events a scanner rule reads. */
  relevantLogs: number;
  /** Average users assigned to a provisioning app. */
  appUsersPerApp: number;
}

export const LARGE: OrgShape = {
  users: 100_000,
  apiTokens: 2_000,
  tokenOwners: 300,
  agentPools: 3,
  agents: 40,
  apps: 3_000,
  provisioningApps: 400,
  logs: 60_000,
  relevantLogs: 3_000,
  appUsersPerApp: 50,
};

/** A tenth of large (3 pools still: a pool is not divisible). */
export const MEDIUM: OrgShape = {
  users: 10_000,
  apiTokens: 200,
  tokenOwners: 30,
  agentPools: 3,
  agents: 4,
  apps: 300,
  provisioningApps: 40,
  logs: 6_000,
  relevantLogs: 300,
  appUsersPerApp: 50,
};

/** The date every generated org is seen from (its log ends here). */
export const AS_OF = '2026-11-27T02:00:00.000Z';
const LOOKBACK_DAYS = 90;
const DAY_MS = 86_400_000;
const DOMAIN = 'acme.example';

/** mulberry32: small, fast, good enough to spread synthetic data. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * A 20-character Okta-style id: 3-character prefix, a kind letter, the index in base 36. Lower
 * case only after the kind letter: the fake server compares strings ignoring case, as Okta's
 * search does, so two ids must never differ by case alone.
 */
function oktaId(prefix: string, kind: string, index: number): string {
  return `${prefix}${kind}${index.toString(36).padStart(16, '0')}`;
}

const FIRST = ['Ada', 'Ben', 'Chloe', 'Dev', 'Elif', 'Femi', 'Gus', 'Hana', 'Ivan', 'Jo', 'Kai', 'Lea', 'Mo', 'Nia'];
const LAST = ['Abbott', 'Baker', 'Chen', 'Diaz', 'Evans', 'Fox', 'Garcia', 'Haddad', 'Ito', 'Jones', 'Khan', 'Lopez'];
const DEPARTMENTS = ['IT', 'Finance', 'Sales', 'Engineering', 'HR', 'Legal', 'Support', 'Marketing'];
/** Provisioning apps with a documented provisioning connection (docs/okta-facts.md#provisioning). */
const DOCUMENTED = [
  { name: 'okta_org2org', label: 'Org2Org', authScheme: 'TOKEN' },
  { name: 'google', label: 'Google Workspace', authScheme: 'OAUTH2' },
  { name: 'office365', label: 'Microsoft Office 365', authScheme: 'OAUTH2' },
  { name: 'slack', label: 'Slack', authScheme: 'OAUTH2' },
  { name: 'zoomus', label: 'Zoom', authScheme: 'OAUTH2' },
  { name: 'zscalerbyz', label: 'Zscaler', authScheme: 'TOKEN' },
] as const;
const PUSH_FEATURES = ['PUSH_NEW_USERS', 'PUSH_PROFILE_UPDATES', 'PUSH_USER_DEACTIVATION', 'REACTIVATE_USERS'];

interface Picker {
  rand: () => number;
  int: (n: number) => number;
  pick: <T>(items: readonly T[]) => T;
  /** `count` distinct integers below `n`. */
  distinct: (count: number, n: number) => number[];
}

function picker(seed: number): Picker {
  const rand = seededRandom(seed);
  const int = (n: number): number => Math.floor(rand() * n);
  return {
    rand,
    int,
    pick: (items) => items[int(items.length)],
    distinct: (count, n) => {
      const chosen = new Set<number>();
      const wanted = Math.min(count, n);
      while (chosen.size < wanted) chosen.add(int(n));
      return [...chosen];
    },
  };
}

/** The demo org, or a synthetic one of the given shape. */
export function generateOrg(size: OrgSize, seed = 7): FakeOrgFixture {
  if (size === 'small') return loadOrg('demo');
  return generateShape(size === 'large' ? LARGE : MEDIUM, seed);
}

export function generateShape(shape: OrgShape, seed = 7): FakeOrgFixture {
  const p = picker(seed);
  const asOfMs = Date.parse(AS_OF);
  const windowStart = asOfMs - LOOKBACK_DAYS * DAY_MS;
  // A pool of timestamps shared by reference: distinct enough, cheap in memory.
  const pastDates = Array.from({ length: 2_000 }, (_, i) =>
    new Date(asOfMs - (5 + ((i * 7919) % (3 * 365))) * DAY_MS - i * 1_000).toISOString(),
  );
  const pastDate = (): string => p.pick(pastDates);
  const inWindow = (): string =>
    new Date(windowStart + Math.floor(p.rand() * (LOOKBACK_DAYS * DAY_MS - 1))).toISOString();

  // --- who matters: token owners, admins, Workflows authors ---
  const tokenOwnerIdx = p.distinct(shape.tokenOwners, shape.users);
  const adminIdx = [
    ...tokenOwnerIdx.slice(0, Math.ceil(shape.tokenOwners / 5)),
    ...p.distinct(Math.ceil(shape.tokenOwners / 5), shape.users),
  ];
  const workflowIdx = [
    ...adminIdx.slice(0, Math.ceil(adminIdx.length / 3)),
    ...p.distinct(Math.ceil(shape.tokenOwners / 3), shape.users),
  ];
  const serviceIdx = new Set(tokenOwnerIdx.filter((_, i) => i % 5 === 1));
  const notable = new Set([...tokenOwnerIdx, ...adminIdx, ...workflowIdx]);

  // --- users ---
  const userType = { id: 'oty1acmeDefaultUserTy' };
  const credentials = { password: {}, provider: { type: 'OKTA', name: 'OKTA' } };
  const users: Json[] = new Array(shape.users);
  for (let i = 0; i < shape.users; i++) {
    const first = FIRST[i % FIRST.length];
    const last = LAST[Math.floor(i / FIRST.length) % LAST.length];
    const service = serviceIdx.has(i);
    const login = service ? `svc-integration-${i}@${DOMAIN}` : `${first}.${last}.${i}@${DOMAIN}`.toLowerCase();
    const roll = p.rand();
    // Referenced people leave more often than average: that is what the rules look for.
    const leaver = notable.has(i) && !service ? roll < 0.12 : roll < 0.03;
    const status = leaver ? 'DEPROVISIONED' : roll > 0.99 ? 'SUSPENDED' : 'ACTIVE';
    const created = pastDate();
    users[i] = {
      id: oktaId('00u', 'B', i),
      status,
      created,
      activated: created,
      statusChanged: created,
      lastLogin: status === 'ACTIVE' ? pastDate() : null,
      lastUpdated: created,
      passwordChanged: created,
      type: userType,
      profile: {
        firstName: service ? 'Integration' : first,
        lastName: service ? `Service ${i}` : last,
        mobilePhone: null,
        secondEmail: null,
        login,
        email: login,
        userType: service ? 'service' : 'Employee',
        department: DEPARTMENTS[i % DEPARTMENTS.length],
      },
      credentials,
    };
  }
  const userId = (i: number): string => String(users[i].id);
  const actorCache = new Map<number, Json>();
  const userEntity = (i: number): Json => {
    let entity = actorCache.get(i);
    if (!entity) {
      const profile = users[i].profile as Json;
      entity = {
        id: userId(i),
        type: 'User',
        alternateId: profile.login,
        displayName: `${profile.firstName} ${profile.lastName}`,
      };
      actorCache.set(i, entity);
    }
    return entity;
  };

  // --- groups and admin roles ---
  const groups: FakeGroup[] = [
    {
      id: oktaId('00g', 'E', 0),
      type: 'BUILT_IN',
      profile: { name: 'Everyone', description: 'All users in your organization' },
      members: users.map((u) => String(u.id)),
    },
    {
      id: oktaId('00g', 'A', 0),
      type: 'OKTA_GROUP',
      profile: { name: 'Okta Admins', description: 'Holds the Super Administrator role' },
      members: adminIdx.slice(0, 12).map(userId),
    },
    {
      id: oktaId('00g', 'S', 0),
      type: 'OKTA_GROUP',
      profile: { name: 'Service Accounts' },
      members: [...serviceIdx].map(userId),
    },
    ...DEPARTMENTS.map((name, d) => ({
      id: oktaId('00g', 'D', d),
      type: 'OKTA_GROUP' as const,
      profile: { name },
      members: p.distinct(Math.min(300, shape.users / 10), shape.users).map(userId),
    })),
  ];
  const roleAssignments: FakeRoleAssignment[] = [
    { id: oktaId('ra1', 'G', 0), type: 'SUPER_ADMIN', label: 'Super Administrator', groupId: groups[1].id },
  ];
  const roleTypes = [
    ['ORG_ADMIN', 'Organizational Administrator'],
    ['APP_ADMIN', 'Application Administrator'],
    ['HELP_DESK_ADMIN', 'Help Desk Administrator'],
    ['READ_ONLY_ADMIN', 'Read Only Administrator'],
  ] as const;
  adminIdx.forEach((i, n) => {
    const [type, label] = roleTypes[n % roleTypes.length];
    roleAssignments.push({ id: oktaId('ra1', 'U', n), type, label, userId: userId(i) });
  });

  // --- API tokens: owners skewed, a few people hold many ---
  const tokensInWindow = Math.round(shape.apiTokens * 0.35);
  const network = { connection: 'ANYWHERE', include: [], exclude: [] };
  const apiTokens: Json[] = [];
  for (let t = 0; t < shape.apiTokens; t++) {
    const owner = tokenOwnerIdx[Math.floor(p.rand() ** 2 * tokenOwnerIdx.length)];
    const created = t < tokensInWindow ? inWindow() : pastDate();
    apiTokens.push({
      id: oktaId('00T', 'K', t),
      name: `Integration token ${t}`,
      userId: userId(owner),
      clientName: t % 10 === 0 ? 'Okta AD Agent' : 'Okta API',
      created,
      lastUpdated: created,
      expiresAt: new Date(asOfMs + (1 + (t % 29)) * DAY_MS).toISOString(),
      tokenWindow: 'P30D',
      network,
    });
  }

  // --- AD agent pools ---
  const versions = ['3.9.1', '3.15.0', '3.17.0', '3.18.0', '3.20.1'];
  const agentPools: Json[] = [];
  const agentIds: string[] = [];
  for (let pool = 0; pool < shape.agentPools; pool++) {
    const poolId = oktaId('0oa', 'P', pool);
    const agents: Json[] = [];
    for (let a = pool; a < shape.agents; a += shape.agentPools) {
      const id = oktaId('a53', 'A', a);
      agentIds.push(id);
      agents.push({
        id,
        name: `DC-${pool}-${a}`,
        poolId,
        type: 'AD',
        operationalStatus: a % 7 === 3 ? 'DISRUPTED' : 'OPERATIONAL',
        lastConnection: asOfMs - (a % 5) * 3_600_000,
        isHidden: false,
        isLatestGAedVersion: versions[a % versions.length] === '3.20.1',
        version: versions[a % versions.length],
        updateMessage: '',
        updateStatus: 'Success',
      });
    }
    agentPools.push({
      id: poolId,
      name: `region${pool}.${DOMAIN}`,
      type: 'AD',
      operationalStatus: 'OPERATIONAL',
      disruptedAgents: 0,
      inactiveAgents: 0,
      agents,
    });
  }

  // --- apps: provisioning ones first, then SSO-only and inactive ones ---
  const apps: FakeApp[] = [];
  const appFeature = (deactivate: boolean): Json[] => [
    {
      name: 'USER_PROVISIONING',
      status: 'ENABLED',
      description: 'User provisioning settings from Okta to a downstream application',
      capabilities: {
        create: { lifecycleCreate: { status: 'ENABLED' } },
        update: {
          profile: { status: 'ENABLED' },
          lifecycleDeactivate: { status: deactivate ? 'ENABLED' : 'DISABLED' },
          password: { status: 'DISABLED', seed: 'RANDOM', change: 'KEEP_EXISTING' },
        },
      },
    },
  ];
  // Okta's expression syntax, not a JavaScript template.
  const samlCredentials = { userNameTemplate: { template: ['$', '{source.login}'].join(''), type: 'BUILT_IN' } };
  const visibility = { autoSubmitToolbar: false, hide: { iOS: false, web: false }, appLinks: {} };
  const accessibility = { selfService: false };
  const appObject = (index: number, name: string, label: string, status: string, features: string[], mode: string) => ({
    id: oktaId('0oa', 'X', index),
    name,
    label,
    status,
    lastUpdated: pastDate(),
    created: pastDate(),
    accessibility,
    visibility,
    features,
    signOnMode: mode,
    credentials: samlCredentials,
    settings: { app: {} },
  });
  // Sizes: most apps hold a few dozen users, a few (2 %) hold hundreds to over a thousand.
  const bigApps = Math.max(1, Math.round(shape.provisioningApps * 0.02));
  const bigSizes = [1_200, 900, 700, 600, 350, 300, 250, 200];
  const documentedCount = Math.round(shape.provisioningApps * 0.6);
  for (let a = 0; a < shape.provisioningApps; a++) {
    const documented = a < documentedCount ? DOCUMENTED[a % DOCUMENTED.length] : null;
    const name = documented ? documented.name : `acmescim_${a}`;
    const label = documented ? `${documented.label} ${a}` : `Acme SCIM app ${a}`;
    const features = documented
      ? [...PUSH_FEATURES, 'GROUP_PUSH']
      : ['SCIM_PROVISIONING', ...PUSH_FEATURES.slice(0, 3)];
    const app = appObject(a, name, label, 'ACTIVE', features, 'SAML_2_0');
    const count = a < bigApps ? bigSizes[(a * 3 + 2) % bigSizes.length] : 5 + p.int(71);
    const appUsers: Json[] = p.distinct(count, shape.users).map((u) => {
      const error = p.rand() < 0.02;
      const profile = users[u].profile as Json;
      return {
        id: userId(u),
        externalId: `ext-${a}-${u}`,
        created: app.created,
        lastUpdated: app.lastUpdated,
        scope: 'USER',
        status: 'PROVISIONED',
        statusChanged: app.created,
        passwordChanged: null,
        syncState: error ? 'ERROR' : 'SYNCHRONIZED',
        lastSync: app.lastUpdated,
        credentials: { userName: profile.login },
        profile: { email: profile.email },
      };
    });
    const entry: FakeApp = { app, users: appUsers };
    if (documented) {
      entry.connection = {
        authScheme: documented.authScheme,
        status: a % 9 === 4 ? 'DISABLED' : 'ENABLED',
        ...(documented.name === 'okta_org2org' ? { baseUrl: `https://partner-${a}.okta.com` } : {}),
        profile: { authScheme: documented.authScheme },
      };
      entry.features = appFeature(a % 4 !== 0);
    }
    apps.push(entry);
  }
  for (let a = shape.provisioningApps; a < shape.apps; a++) {
    const inactive = a % 8 === 0;
    // Some inactive apps still carry push features: they provision nothing while inactive.
    const features = inactive && a % 16 === 0 ? PUSH_FEATURES.slice(0, 2) : [];
    const bookmark = a % 5 === 0;
    apps.push({
      app: appObject(
        a,
        bookmark ? 'bookmark' : `saml_app_${a}`,
        bookmark ? `Link ${a}` : `SSO app ${a}`,
        inactive ? 'INACTIVE' : 'ACTIVE',
        features,
        bookmark ? 'BOOKMARK' : 'SAML_2_0',
      ),
    });
  }
  const provisioningAppIds = apps.slice(0, shape.provisioningApps).map((a) => a.app);
  const appEntity = (app: Json): Json => ({
    id: app.id,
    type: 'AppInstance',
    alternateId: app.label,
    displayName: app.label,
  });
  const appActor = (app: Json): Json => ({
    id: app.id,
    type: 'PublicClientApp',
    alternateId: app.label,
    displayName: app.label,
  });

  // --- System Log ---
  const webClient = {
    ipAddress: '203.0.113.24',
    device: 'Computer',
    zone: 'null',
    userAgent: { rawUserAgent: 'Mozilla/5.0', os: 'Windows 10', browser: 'CHROME' },
  };
  const jobClient = {
    ipAddress: '198.51.100.7',
    device: 'Unknown',
    zone: 'null',
    userAgent: { rawUserAgent: 'Okta-Integrations', os: 'Unknown', browser: 'UNKNOWN' },
  };
  const tokenClient = {
    ipAddress: '192.0.2.80',
    device: 'Unknown',
    zone: 'null',
    userAgent: { rawUserAgent: 'Terraform/1.9.8 terraform-provider-okta/4.11.0', os: 'Unknown', browser: 'UNKNOWN' },
  };
  const workflowsClient = {
    ipAddress: '192.0.2.90',
    device: 'Unknown',
    zone: 'null',
    userAgent: { rawUserAgent: 'Azuqua', os: 'Unknown', browser: 'UNKNOWN' },
  };
  const system = {
    id: '0oaOktaSystem0000000',
    type: 'SystemPrincipal',
    alternateId: 'system@okta.com',
    displayName: 'Okta System',
  };
  const logs: Json[] = [];
  let uuidCounter = 0;
  const event = (
    eventType: string,
    actor: Json,
    target: Json[],
    result: string,
    options: { reason?: string; published?: string; job?: boolean; client?: Json; tokenId?: string } = {},
  ): void => {
    const n = uuidCounter++;
    const hex = n.toString(16).padStart(12, '0');
    logs.push({
      uuid: `b3c4d5e6-0000-4000-8000-${hex}`,
      published: options.published ?? inWindow(),
      eventType,
      version: '0',
      severity: result === 'FAILURE' ? 'WARN' : 'INFO',
      displayMessage: eventType,
      actor,
      client: options.client ?? (options.job ? jobClient : webClient),
      outcome: options.reason ? { result, reason: options.reason } : { result },
      target,
      ...(options.tokenId
        ? { transaction: { type: 'WEB', id: `tx${hex}`, detail: { requestApiTokenId: options.tokenId } } }
        : {}),
    });
  };
  const relevant = shape.relevantLogs;
  const share = (fraction: number): number => Math.round(relevant * fraction);
  const budget = {
    workflows: share(0.2),
    authFailures: share(0.1),
    deactivationFailures: share(0.1),
    lifecycle: share(0.25),
    agents: Math.min(share(0.02), Math.max(shape.agents, 2) * 2),
  };
  const tokenCreations = relevant - Object.values(budget).reduce((a, b) => a + b, 0);

  // Workflows connections: created, sometimes reauthorized, sometimes deleted and revoked.
  let workflowEvents = 0;
  for (let c = 0; workflowEvents < budget.workflows; c++) {
    const author = workflowIdx[p.int(workflowIdx.length)];
    const connector = p.pick([
      { id: 'okta', name: 'Okta' },
      { id: 'googlesheets', name: 'Google Sheets' },
      { id: 'slack', name: 'Slack' },
      { id: 'salesforce', name: 'Salesforce' },
    ]);
    const connection = {
      id: oktaId('wfc', 'C', c),
      type: 'WorkflowsConnection',
      alternateId: oktaId('wfc', 'C', c),
      displayName: `${connector.name} connection ${c}`,
    };
    const connectorEntity = {
      id: connector.id,
      type: 'AppInstance',
      alternateId: connector.id,
      displayName: connector.name,
    };
    const times = [inWindow(), inWindow(), inWindow()].sort();
    const steps: [string, number][] = [['workflows.user.connection.create', author]];
    const roll = p.rand();
    if (roll < 0.4) steps.push(['workflows.user.connection.reauthorize', workflowIdx[p.int(workflowIdx.length)]]);
    else if (roll < 0.55)
      steps.push(['workflows.user.connection.delete', author], ['workflows.user.connection.revoke', author]);
    steps.forEach(([type, who], s) => {
      if (workflowEvents >= budget.workflows) return;
      event(type, userEntity(who), [userEntity(who), connectorEntity, connection], 'SUCCESS', { published: times[s] });
      workflowEvents++;
    });
  }
  // Provisioning authentication failures (and "couldn't verify api credentials").
  for (let n = 0; n < budget.authFailures; n++) {
    const app = provisioningAppIds[p.int(Math.ceil(provisioningAppIds.length / 4))];
    const type = n % 3 === 0 ? 'application.configuration.update' : 'application.integration.authentication_failure';
    event(type, appActor(app), [appEntity(app)], 'FAILURE', { reason: 'Could not refresh the OAuth token', job: true });
  }
  // Failed deactivation pushes, mostly for people who have left.
  for (let n = 0; n < budget.deactivationFailures; n++) {
    const app = provisioningAppIds[p.int(provisioningAppIds.length)];
    const who = p.int(shape.users);
    const type = n % 4 === 0 ? 'application.provision.user.deprovision' : 'application.provision.user.deactivate';
    event(type, appActor(app), [userEntity(who), appEntity(app)], 'FAILURE', { reason: '401 Unauthorized', job: true });
  }
  // Admins saving provisioning settings.
  for (let n = 0; n < budget.lifecycle; n++) {
    const app = provisioningAppIds[p.int(provisioningAppIds.length)];
    event('application.lifecycle.update', userEntity(adminIdx[p.int(adminIdx.length)]), [appEntity(app)], 'SUCCESS');
  }
  // Agent registrations: every agent once, some twice.
  for (let n = 0; n < budget.agents; n++) {
    const agent = agentIds[n % agentIds.length];
    const type = n % 2 === 0 ? 'system.agent.register' : 'system.agent.ad.create';
    event(
      type,
      userEntity(adminIdx[p.int(adminIdx.length)]),
      [{ id: agent, type: 'AgentInstance', alternateId: agent, displayName: agent }],
      'SUCCESS',
    );
  }
  // Token creations: the tokens created in the window, then tokens since revoked.
  for (let n = 0; n < tokenCreations; n++) {
    const token = n < tokensInWindow ? apiTokens[n] : null;
    const id = token ? String(token.id) : oktaId('00T', 'R', n);
    const owner = token
      ? tokenOwnerIdx.find((i) => userId(i) === token.userId)!
      : tokenOwnerIdx[n % tokenOwnerIdx.length];
    event(
      'system.api_token.create',
      userEntity(owner),
      [{ id, type: 'Token', alternateId: 'unknown', displayName: `token ${n}` }],
      'SUCCESS',
      {
        published: token ? String(token.created) : undefined,
      },
    );
  }
  // Noise: the everyday log, including the same event types as the rules with other outcomes
  // or actors, so only the server-side filters tell them apart.
  const noise = shape.logs - logs.length;
  for (let n = 0; n < noise; n++) {
    const who = p.int(shape.users);
    const kind = n % 20;
    if (kind < 8) event('user.session.start', userEntity(who), [], 'SUCCESS');
    else if (kind < 13) {
      const app = apps[p.int(apps.length)].app;
      event('user.authentication.sso', userEntity(who), [appEntity(app)], 'SUCCESS');
    } else if (kind < 16) event('policy.evaluate_sign_on', userEntity(who), [], 'ALLOW');
    else if (kind === 16) {
      const app = provisioningAppIds[p.int(provisioningAppIds.length)];
      event('application.provision.user.push', appActor(app), [userEntity(who), appEntity(app)], 'SUCCESS', {
        job: true,
      });
    } else if (kind === 17) {
      const app = provisioningAppIds[p.int(provisioningAppIds.length)];
      event('application.provision.user.deactivate', appActor(app), [userEntity(who), appEntity(app)], 'SUCCESS', {
        job: true,
      });
    } else if (kind === 18) {
      const app = provisioningAppIds[p.int(provisioningAppIds.length)];
      event('application.lifecycle.update', system, [appEntity(app)], 'SUCCESS', { job: true });
    } else if (n % 40 === 19 && tokensInWindow > 0) {
      // What integrations do with their API tokens (the token usage query reads these).
      const token = apiTokens[p.int(tokensInWindow)];
      const owner = tokenOwnerIdx.find((i) => userId(i) === token.userId) ?? who;
      event('user.account.update_profile', userEntity(owner), [userEntity(who)], 'SUCCESS', {
        client: tokenClient,
        tokenId: String(token.id),
      });
    } else if (n % 200 === 39) {
      // Okta Workflows acting as the account that authorized its Okta connection.
      event(
        'group.user_membership.add',
        userEntity(workflowIdx[p.int(workflowIdx.length)]),
        [userEntity(who)],
        'SUCCESS',
        {
          client: workflowsClient,
        },
      );
    } else event('user.authentication.auth_via_mfa', userEntity(who), [], 'SUCCESS');
  }

  // Stored in published order: the server sorts every page it serves, and sorting sorted input is cheap.
  logs.sort(
    (a, b) => String(a.published).localeCompare(String(b.published)) || String(a.uuid).localeCompare(String(b.uuid)),
  );
  return { asOf: AS_OF, users, groups, roleAssignments, apiTokens, agentPools, apps, logs };
}
