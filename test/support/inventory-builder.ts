// A compliant baseline inventory and small edits on it: each rule test changes one field per case.
import { expect, it } from 'vitest';
import { DEFAULT_CONFIG, type ScannerConfig } from '../../lambda/config';
import type { Finding, Severity, Verdict } from '../../lambda/domain/finding';
import type {
  AdAgent,
  ApiToken,
  ApiTokenUsage,
  Inventory,
  LogEntity,
  LogEventSummary,
  NetworkZone,
  OwnerUser,
  ProvisioningApp,
  SourceName,
  WorkflowsConnection,
} from '../../lambda/domain/inventory';
import { SOURCE_NAMES, SOURCE_SCOPES } from '../../lambda/domain/inventory';
import { evaluateRules } from '../../lambda/engine';

export const NOW = new Date('2026-11-28T12:00:00.000Z');
const DAY = 86_400_000;
export const daysFromNow = (days: number): string => new Date(NOW.getTime() + days * DAY).toISOString();

export const SVC = '00usvcintegrations1';
export const ALICE = '00ualice0000000001';
export const BOB = '00ubob00000000000001';
export const TOKEN = '00Tsiemexport00001';
export const POOL = '0oaadpool000000001';
export const AGENT = 'a53dc1agent0000001';
export const WF_CONNECTION = 'wfc-okta-prod-0001';
export const ORG2ORG = '0oaorg2orghub00001';
export const ZONE = 'nzoofficezone0001';

export type Edit = (inventory: Inventory) => void;

function user(id: string, login: string, status: string, userType: string | null, groups: string[]): OwnerUser {
  return {
    id,
    login,
    status,
    typeId: null,
    profile: { userType, email: login, displayName: login.split('@')[0], firstName: null, lastName: null },
    groups: groups.map((name, i) => ({ id: `00g${id.slice(3, 8)}${i}`, name })),
    roles: [],
  };
}

export function userEntity(id: string, inventory?: Inventory): LogEntity {
  const login = inventory?.users[id]?.login ?? null;
  return { id, type: 'User', alternateId: login, displayName: login };
}

let uuidCounter = 0;
export function logEvent(patch: Partial<LogEventSummary> & Pick<LogEventSummary, 'eventType'>): LogEventSummary {
  uuidCounter++;
  return {
    uuid: `00000000-0000-4000-8000-${String(uuidCounter).padStart(12, '0')}`,
    published: daysFromNow(-10),
    outcome: { result: 'SUCCESS', reason: null },
    actor: null,
    target: [],
    ...patch,
  };
}

/** The compliant org: everything owned or authorized by a service account, nothing failing. */
export function baselineInventory(): Inventory {
  const svc = user(SVC, 'svc-integrations@acme.com', 'ACTIVE', 'Service', ['Service Accounts', 'Everyone']);
  svc.roles = [{ type: 'ORG_ADMIN', label: 'Organization Administrator', status: 'ACTIVE', assignmentType: 'USER' }];
  const users: Record<string, OwnerUser> = {
    [SVC]: svc,
    [ALICE]: user(ALICE, 'alice@acme.com', 'ACTIVE', 'Employee', ['Everyone', 'Engineering']),
    [BOB]: user(BOB, 'bob@acme.com', 'DEPROVISIONED', 'Employee', ['Everyone']),
  };
  const svcEntity: LogEntity = { id: SVC, type: 'User', alternateId: svc.login, displayName: 'Integrations Service' };
  const sources = Object.fromEntries(SOURCE_NAMES.map((s) => [s, { status: 'complete' }])) as Inventory['sources'];
  return {
    schemaVersion: 1,
    org: 'acme.okta.com',
    collectedAt: NOW.toISOString(),
    logWindow: { since: daysFromNow(-90), until: NOW.toISOString() },
    sources,
    apiTokens: [
      {
        id: TOKEN,
        name: 'SIEM export',
        userId: SVC,
        clientName: 'Okta API',
        created: daysFromNow(-200),
        lastUpdated: daysFromNow(-5),
        expiresAt: daysFromNow(25),
        tokenWindow: 'P30D',
        network: { connection: 'ZONE', include: [ZONE], exclude: [] },
      },
    ],
    networkZones: [zone({ id: ZONE, name: 'Office', gateways: ['198.51.100.0/24'] })],
    agentPools: [
      {
        id: POOL,
        name: 'acme.local',
        type: 'AD',
        operationalStatus: 'OPERATIONAL',
        agents: [
          {
            id: AGENT,
            name: 'DC1',
            poolId: POOL,
            type: 'AD',
            operationalStatus: 'OPERATIONAL',
            version: '3.19.0',
            lastConnection: daysFromNow(0),
            isLatestGAedVersion: true,
          },
        ],
      },
    ],
    provisioningApps: [
      {
        id: ORG2ORG,
        name: 'okta_org2org',
        label: 'Okta Org2Org (hub)',
        status: 'ACTIVE',
        signOnMode: 'SAML_2_0',
        features: ['PUSH_NEW_USERS', 'PUSH_PROFILE_UPDATES', 'PUSH_USER_DEACTIVATION', 'REACTIVATE_USERS'],
        connection: { available: true, status: 'ENABLED', authScheme: 'OAUTH2', baseUrl: 'https://hub.okta.com' },
        userProvisioning: { status: 'ENABLED', lifecycleDeactivate: 'ENABLED' },
        featuresAvailable: true,
        usersInError: [],
      },
    ],
    workflowsConnections: [
      {
        id: WF_CONNECTION,
        name: 'Okta - prod',
        connector: 'Okta',
        lastAuthorizedBy: svcEntity,
        lastAuthorizedAt: daysFromNow(-30),
        lastEventType: 'workflows.user.connection.reauthorize',
      },
    ],
    provisioningAuthFailures: [],
    deactivationPushFailures: [],
    provisioningAuthorizations: {
      [ORG2ORG]: logEvent({ eventType: 'application.lifecycle.update', actor: svcEntity, published: daysFromNow(-40) }),
    },
    agentRegistrations: {
      [AGENT]: logEvent({ eventType: 'system.agent.register', actor: svcEntity, published: daysFromNow(-60) }),
    },
    apiTokenCreations: {},
    users,
    missingUserIds: [],
  };
}

/** An active IP policy zone, changed by `patch`. */
export function zone(patch: Partial<NetworkZone> & Pick<NetworkZone, 'id' | 'name'>): NetworkZone {
  const none = { include: [], exclude: [] };
  return {
    type: 'IP',
    status: 'ACTIVE',
    usage: 'POLICY',
    system: false,
    gateways: [],
    proxies: null,
    locations: none,
    asns: none,
    ipServiceCategories: none,
    proxyType: null,
    ...patch,
  };
}

/** Adds zones to the org's zones, replacing any with the same id. */
export const withZones =
  (...zones: NetworkZone[]): Edit =>
  (inv) => {
    const ids = new Set(zones.map((z) => z.id));
    inv.networkZones = [...(inv.networkZones ?? []).filter((z) => !ids.has(z.id)), ...zones];
  };

/** The baseline with edits applied, in order. */
export function build(...edits: Edit[]): Inventory {
  const inventory = baselineInventory();
  for (const edit of edits) edit(inventory);
  return inventory;
}

export const withToken =
  (patch: Partial<ApiToken>): Edit =>
  (inv) => {
    Object.assign(inv.apiTokens[0], patch);
  };

export const addToken =
  (patch: Partial<ApiToken> & Pick<ApiToken, 'id' | 'name'>): Edit =>
  (inv) => {
    inv.apiTokens.push({ ...inv.apiTokens[0], ...patch });
  };

/** What the token did in the log window (the apiTokenUsage source). */
export const withTokenUsage =
  (tokenId: string, patch: Partial<ApiTokenUsage>): Edit =>
  (inv) => {
    inv.apiTokenUsage = {
      ...inv.apiTokenUsage,
      [tokenId]: {
        eventCount: 1,
        eventTypes: { 'user.account.update_profile': 1 },
        ipAddresses: ['198.51.100.7'],
        userAgents: ['Terraform/1.9.8'],
        firstEventAt: daysFromNow(-1),
        lastEventAt: daysFromNow(-1),
        ...patch,
      },
    };
  };

export const withUser =
  (id: string, patch: Partial<Omit<OwnerUser, 'profile'>> & { profile?: Partial<OwnerUser['profile']> }): Edit =>
  (inv) => {
    const current = inv.users[id];
    inv.users[id] = { ...current, ...patch, profile: { ...current.profile, ...patch.profile } };
  };

/** Okta answered 404 for the user: deleted. */
export const withMissingUser =
  (id: string): Edit =>
  (inv) => {
    delete inv.users[id];
    inv.missingUserIds.push(id);
  };

/** The user was referenced but could not be read. */
export const withUnreadUser =
  (id: string): Edit =>
  (inv) => {
    delete inv.users[id];
  };

export const withSourceFailed =
  (source: SourceName, reason = 'HTTP 403 E0000006: You do not have permission'): Edit =>
  (inv) => {
    inv.sources[source] = { status: 'failed', reason, requiredScope: SOURCE_SCOPES[source] };
  };

export const withSourceSkipped =
  (source: SourceName): Edit =>
  (inv) => {
    inv.sources[source] = { status: 'skipped' };
  };

export const withAgent =
  (patch: Partial<AdAgent>): Edit =>
  (inv) => {
    Object.assign(inv.agentPools[0].agents[0], patch);
  };

export const addAgent =
  (patch: Partial<AdAgent> & Pick<AdAgent, 'id' | 'name'>): Edit =>
  (inv) => {
    inv.agentPools[0].agents.push({ ...inv.agentPools[0].agents[0], ...patch });
  };

/** Who installed the agent (null: no registration event in the log window). */
export const withRegistration =
  (agentId: string, userId: string | null): Edit =>
  (inv) => {
    if (userId === null) {
      delete inv.agentRegistrations[agentId];
      return;
    }
    inv.agentRegistrations[agentId] = logEvent({ eventType: 'system.agent.register', actor: userEntity(userId, inv) });
  };

export const withWorkflowsConnection =
  (patch: Partial<WorkflowsConnection>): Edit =>
  (inv) => {
    Object.assign(inv.workflowsConnections[0], patch);
  };

export const authorizedBy =
  (userId: string): Edit =>
  (inv) => {
    inv.workflowsConnections[0].lastAuthorizedBy = userEntity(userId, inv);
  };

/** A connection known only from Workflows acting as `userId` (user agent Azuqua): its authorization is older than the log. */
export const usedByWorkflowsAs =
  (userId: string, eventCount = 4): Edit =>
  (inv) => {
    const actor = userEntity(userId, inv);
    inv.workflowsConnections.push({
      id: `okta-used-by-workflows/${userId}`,
      name: `Okta (used by Workflows as ${actor.alternateId ?? userId})`,
      connector: 'Okta',
      lastAuthorizedBy: actor,
      lastAuthorizedAt: null,
      lastEventType: null,
      usage: { lastUsedAt: daysFromNow(-2), eventCount, eventTypes: { 'group.user_membership.add': eventCount } },
    });
  };

export const withApp =
  (patch: Partial<ProvisioningApp>): Edit =>
  (inv) => {
    Object.assign(inv.provisioningApps[0], patch);
  };

/**
 * The Org2Org app used for sign-in only (many are, in hub-and-spoke estates): no provisioning
 * feature, Okta answers that provisioning is not enabled, and its connection is the default
 * DISABLED one.
 */
export const asSignInOnly = (): Edit =>
  withApp({
    features: [],
    connection: { available: true, status: 'DISABLED', authScheme: 'UNKNOWN', baseUrl: null },
    userProvisioning: null,
    featuresAvailable: false,
    usersInError: null,
  });

/** The Org2Org app used for import only, as in the recorded "Okta Org2Org (3)" (test/data/okta-recordings/apps/). */
export const asImportOnly = (): Edit =>
  withApp({
    features: ['IMPORT_PROFILE_UPDATES', 'GROUP_PUSH', 'IMPORT_USER_SCHEMA', 'IMPORT_NEW_USERS'],
    userProvisioning: { status: 'DISABLED', lifecycleCreate: 'DISABLED', lifecycleDeactivate: 'DISABLED' },
    featuresAvailable: true,
    usersInError: null,
  });

export const addApp =
  (patch: Partial<ProvisioningApp> & Pick<ProvisioningApp, 'id' | 'label'>): Edit =>
  (inv) => {
    inv.provisioningApps.push({ ...inv.provisioningApps[0], name: 'acme_scim', ...patch });
  };

/** Who last authorized the app's provisioning connection (null: nobody within the log window). */
export const withProvisioningAuthorization =
  (appId: string, userId: string | null): Edit =>
  (inv) => {
    if (userId === null) {
      delete inv.provisioningAuthorizations[appId];
      return;
    }
    inv.provisioningAuthorizations[appId] = logEvent({
      eventType: 'application.lifecycle.update',
      actor: userEntity(userId, inv),
    });
  };

export const appTarget = (id: string, label: string): LogEntity => ({
  id,
  type: 'AppInstance',
  alternateId: label,
  displayName: label,
});

/** Plain code-point order, so `<appId>/*` sorts before `<appId>/00u…` in every locale. */
const byResourceId = (a: { resourceId: string }, b: { resourceId: string }): number =>
  a.resourceId < b.resourceId ? -1 : a.resourceId > b.resourceId ? 1 : 0;

export interface Row {
  resourceId: string;
  status: Verdict;
}

/** Runs one rule through the engine (so failed sources are guarded as in a real scan). */
export function findingsOf(
  ruleId: string,
  inventory: Inventory,
  options: { config?: ScannerConfig; now?: Date } = {},
): Finding[] {
  return evaluateRules(inventory, {
    config: options.config ?? DEFAULT_CONFIG,
    now: options.now ?? NOW,
    ruleIds: [ruleId],
  }).findings;
}

/** `{ resourceId, status }` rows, sorted by resource id, for table-driven rule tests. */
export function rows(
  ruleId: string,
  inventory: Inventory,
  options: { config?: ScannerConfig; now?: Date } = {},
): Row[] {
  return findingsOf(ruleId, inventory, options)
    .map((f) => ({ resourceId: f.resource.id, status: f.status }))
    .sort(byResourceId);
}

export function rowsWithSeverity(ruleId: string, inventory: Inventory): (Row & { severity: Severity })[] {
  return findingsOf(ruleId, inventory)
    .map((f) => ({ resourceId: f.resource.id, status: f.status, severity: f.severity }))
    .sort(byResourceId);
}

/** One case of a rule's table: the baseline with `edits` applied gives exactly `expected`. */
export interface RuleCase {
  name: string;
  edits: Edit[];
  /** Sorted by resource id; rows that name a severity are checked with it. */
  expected: (Row | (Row & { severity: Severity }))[];
}

/**
 * The table test of one rule (ESLint's RuleTester, in this project's terms): one test per case,
 * each running the rule through the engine on the edited baseline.
 */
export function ruleTable(ruleId: string, cases: readonly RuleCase[]): void {
  it.each(cases)('$name', ({ edits, expected }) => {
    const withSeverity = expected.some((row) => 'severity' in row);
    const inventory = build(...edits);
    expect(withSeverity ? rowsWithSeverity(ruleId, inventory) : rows(ruleId, inventory)).toEqual(expected);
  });
}
