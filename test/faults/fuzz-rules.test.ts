import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG, parseConfig } from '../../lambda/config';
import type { Finding } from '../../lambda/domain/finding';
import {
  type AdAgent,
  type AgentPool,
  type ApiToken,
  type Inventory,
  type LogEntity,
  type LogEventSummary,
  type NetworkZone,
  type OwnerUser,
  type ProvisioningApp,
  SOURCE_NAMES,
  SOURCE_SCOPES,
  type SourceName,
  type WorkflowsConnection,
} from '../../lambda/domain/inventory';
import { pushesUsers, usesProvisioningConnection } from '../../lambda/domain/provisioning';
import { evaluateRules } from '../../lambda/engine';
import { getRule } from '../../lambda/rules';
import { AGENT_RULES, CONNECTION_RULES, PUSH_RULES, TOKEN_RULES, WORKFLOWS_RULES } from '../support/rule-groups';

// Random but schema-shaped inventories thrown at every rule: values Okta may send that the
// scanner has never seen, fields missing, sources that failed. Whatever comes in, no rule
// crashes, every resource gets a verdict from every rule that covers it, and missing data is
// never a PASS. Fixed seed: CI runs the same cases every time.

const NOW = new Date('2026-11-28T12:00:00.000Z');
const DAY = 86_400_000;
const RUNS = 300;
const SEED = 20261128;

const USER_IDS = ['00ufuzz00000000000a', '00ufuzz00000000000b', '00ufuzz00000000000c', '00ufuzz00000000000d'];
const UNKNOWN_USER = '00ufuzznotread00000';
const OWNER_IDS = [...USER_IDS, UNKNOWN_USER, ''];

const iso = fc.integer({ min: -120, max: 60 }).map((d) => new Date(NOW.getTime() + d * DAY).toISOString());
const maybeIso = fc.oneof(iso, fc.constant(null));
const oddDate = fc.oneof(iso, fc.constant(null), fc.constantFrom('next tuesday', '', '2026-13-45', '12/01/2026'));
const word = fc.constantFrom('alpha', 'beta', 'gamma', 'delta', '');
const status = (...known: string[]) => fc.constantFrom(...known, 'SOMETHING_NEW', '');

const user = (id: string): fc.Arbitrary<OwnerUser> =>
  fc.record({
    id: fc.constant(id),
    login: fc.constantFrom(`svc-${id}@acme.com`, `${id}@acme.com`, ''),
    status: status('ACTIVE', 'ACTIVE', 'DEPROVISIONED', 'SUSPENDED', 'STAGED', 'LOCKED_OUT'),
    typeId: fc.constant(null),
    // Absent in inventories saved before sign-in times and profile dates were kept.
    lastLogin: fc.oneof(fc.constant(undefined), maybeIso, fc.constant('not a time')),
    profileDates: fc.oneof(
      fc.constant(undefined),
      fc.constant({}),
      iso.map((d) => ({ terminationDate: d.slice(0, 10) })),
      fc.constant({ terminationDate: '2026-13-45' }),
    ),
    profile: fc.record({
      userType: fc.constantFrom(null, 'Service', 'service', 'Employee', 'Contractor'),
      email: fc.constant(null),
      displayName: fc.constant(null),
      firstName: fc.constant(null),
      lastName: fc.constant(null),
    }),
    groups: fc.option(
      fc.array(
        fc.record({ id: fc.constantFrom('00g1', '00g2'), name: fc.constantFrom('Service Accounts', 'Everyone') }),
        {
          maxLength: 2,
        },
      ),
      { nil: null },
    ),
    roles: fc.option(
      fc.array(
        fc.record({
          type: status('SUPER_ADMIN', 'ORG_ADMIN', 'APP_ADMIN'),
          label: word,
          status: fc.constantFrom('ACTIVE', 'INACTIVE', null),
          assignmentType: fc.constantFrom('USER', 'GROUP', null),
        }),
        { maxLength: 2 },
      ),
      { nil: null },
    ),
  });

const entity = (ids: readonly string[], types: readonly string[]): fc.Arbitrary<LogEntity> =>
  fc.record({
    id: fc.constantFrom(...ids, ''),
    type: fc.constantFrom(...types),
    alternateId: fc.constantFrom(null, 'someone@acme.com'),
    displayName: fc.constantFrom(null, 'Someone'),
  });

const event = (
  targets: fc.Arbitrary<LogEntity[]>,
  actor: fc.Arbitrary<LogEntity | null>,
): fc.Arbitrary<LogEventSummary> =>
  fc.record({
    uuid: fc.uuid(),
    published: iso,
    eventType: fc.constantFrom(
      'application.integration.authentication_failure',
      'application.provision.user.deactivate',
    ),
    outcome: fc.record({
      result: fc.constantFrom('FAILURE', 'SUCCESS', null),
      reason: fc.constantFrom(null, 'denied'),
    }),
    actor,
    target: targets,
  });

const token = (i: number): fc.Arbitrary<ApiToken> =>
  fc.record({
    id: fc.constant(`00Tfuzz${String(i).padStart(13, '0')}`),
    name: word,
    userId: fc.constantFrom(...OWNER_IDS),
    clientName: fc.constantFrom('Okta API', 'Okta AD Agent', ''),
    created: maybeIso,
    lastUpdated: maybeIso,
    expiresAt: oddDate,
    tokenWindow: fc.constantFrom('P30D', null),
    network: fc.option(
      fc.record({
        connection: fc.constantFrom('ANYWHERE', 'ZONE', 'SOMETHING_NEW', null),
        include: fc.subarray(ZONE_IDS),
        exclude: fc.subarray(ZONE_IDS, { maxLength: 1 }),
      }),
      { nil: null },
    ),
  });

// Zone ids tokens may name; the last is never in the org (a deleted zone).
const ZONE_IDS = ['nzofuzz0', 'nzofuzz1', 'nzofuzz2', 'nzofuzzgone'];
const GATEWAYS = [
  '10.0.0.0/8',
  '0.0.0.0/0',
  '::/0',
  '1.2.3.4/24',
  '2.3.4.5-2.3.4.15',
  '0.0.0.0-255.255.255.255',
  'x',
  '',
];
const includeExclude = fc.record({
  include: fc.subarray(['US', 'DE-BE', '2232']),
  exclude: fc.subarray(['CN']),
});

const zone = (i: number): fc.Arbitrary<NetworkZone> =>
  fc.record({
    id: fc.constant(ZONE_IDS[i]),
    name: word,
    type: status('IP', 'DYNAMIC', 'DYNAMIC_V2'),
    status: status('ACTIVE', 'INACTIVE'),
    usage: fc.constantFrom('POLICY', 'BLOCKLIST', null),
    system: fc.boolean(),
    gateways: fc.option(fc.subarray(GATEWAYS, { maxLength: 3 }), { nil: null }),
    proxies: fc.constant(null),
    locations: includeExclude,
    asns: includeExclude,
    ipServiceCategories: includeExclude,
    proxyType: fc.constantFrom('', 'TorAnonymizer', null),
  });

const agent = (poolId: string, i: number): fc.Arbitrary<AdAgent> =>
  fc.record({
    id: fc.constant(`${poolId}-agent${i}`),
    name: word,
    poolId: fc.constant(poolId),
    type: fc.constantFrom('AD', 'AD', 'LDAP', ''),
    operationalStatus: status('OPERATIONAL', 'OPERATIONAL', 'DISRUPTED', 'INACTIVE'),
    version: fc.constantFrom(null, '3.9.1', '3.17.0', '3.18.0', '3.20.1', 'v3.18', 'garbage', ''),
    lastConnection: maybeIso,
    isLatestGAedVersion: fc.constantFrom(null, true, false),
  });

const pool = (i: number): fc.Arbitrary<AgentPool> => {
  const id = `0oapool${i}`;
  return fc.record({
    id: fc.constant(id),
    name: word,
    type: fc.constantFrom('AD', 'AD', 'LDAP'),
    operationalStatus: status('OPERATIONAL', 'DISRUPTED'),
    agents: fc.integer({ min: 0, max: 3 }).chain((n) => fc.tuple(...Array.from({ length: n }, (_, j) => agent(id, j)))),
  });
};

const app = (i: number): fc.Arbitrary<ProvisioningApp> =>
  fc.record({
    id: fc.constant(`0oafuzzapp${i}`),
    name: fc.constantFrom('okta_org2org', 'acme_scim', 'custom_app'),
    label: word,
    status: status('ACTIVE', 'ACTIVE', 'INACTIVE'),
    signOnMode: fc.constantFrom(null, 'SAML_2_0'),
    features: fc.subarray([
      'PUSH_NEW_USERS',
      'PUSH_USER_DEACTIVATION',
      'SCIM_PROVISIONING',
      'IMPORT_NEW_USERS',
      'SOMETHING_NEW',
    ]),
    connection: fc.oneof(
      fc.constant(null),
      fc.constant({ available: false as const }),
      fc.record({
        available: fc.constant(true as const),
        status: status('ENABLED', 'DISABLED'),
        authScheme: status('TOKEN', 'OAUTH2'),
        baseUrl: fc.constantFrom(null, 'https://x.example.com'),
      }),
    ),
    userProvisioning: fc.option(
      fc.record(
        {
          status: status('ENABLED', 'DISABLED'),
          lifecycleCreate: fc.constantFrom('ENABLED', 'DISABLED', null),
          lifecycleDeactivate: fc.constantFrom('ENABLED', 'DISABLED', null),
        },
        // Inventories saved before lifecycleCreate was read have no such key.
        { requiredKeys: ['status', 'lifecycleDeactivate'] },
      ),
      { nil: null },
    ),
    featuresAvailable: fc.constantFrom(null, true, false),
    usersInError: fc.option(
      fc.array(
        fc.record({
          userId: fc.constantFrom(...OWNER_IDS),
          status: status('PROVISIONED', 'DEPROVISIONED'),
          syncState: fc.constant('ERROR'),
          userName: fc.constantFrom(null, 'someone'),
        }),
        { maxLength: 2 },
      ),
      { nil: null },
    ),
  });

const connection = (i: number): fc.Arbitrary<WorkflowsConnection> =>
  fc.record({
    id: fc.constant(`wfc-fuzz-${i}`),
    name: word,
    connector: fc.constantFrom(null, 'Okta'),
    lastAuthorizedBy: entity(OWNER_IDS, ['User', 'User', 'AppInstance']),
    lastAuthorizedAt: iso,
    lastEventType: fc.constantFrom('workflows.user.connection.create', 'workflows.user.connection.reauthorize'),
  });

const indexed = <T>(max: number, make: (i: number) => fc.Arbitrary<T>): fc.Arbitrary<T[]> =>
  fc.integer({ min: 0, max }).chain((n) => fc.tuple(...Array.from({ length: n }, (_, i) => make(i))));

const inventoryArb: fc.Arbitrary<Inventory> = fc
  .record({
    // Most inventories read everything; the rest lose one or more sources.
    failed: fc.oneof(
      { weight: 2, arbitrary: fc.constant([] as SourceName[]) },
      { weight: 1, arbitrary: fc.constantFrom(...SOURCE_NAMES).map((s) => [s]) },
      { weight: 1, arbitrary: fc.subarray(SOURCE_NAMES.filter((s) => s !== 'apiTokenEvents')) },
    ),
    users: fc.tuple(...USER_IDS.map(user)),
    // Most referenced users are read; some are deleted in Okta (404), some could not be read.
    fates: fc.tuple(...USER_IDS.map(() => fc.constantFrom('read', 'read', 'read', 'read', 'deleted', 'unread'))),
    apiTokens: indexed(5, token),
    zones: fc.tuple(zone(0), zone(1), zone(2)).chain((zones) => fc.subarray(zones)),
    agentPools: indexed(2, pool),
    apps: indexed(3, app),
    connections: indexed(3, connection),
    registrations: fc.array(entity(USER_IDS, ['User']), { maxLength: 3 }),
    authorizers: fc.array(fc.option(entity(OWNER_IDS, ['User', 'PublicClientApp']), { nil: null }), { maxLength: 3 }),
    authFailures: fc.array(
      event(
        fc.array(entity(['0oafuzzapp0', '0oafuzzapp1', '0oagone'], ['AppInstance', 'Other']), { maxLength: 2 }),
        fc.option(entity(['0oafuzzapp2'], ['PublicClientApp']), { nil: null }),
      ),
      { maxLength: 3 },
    ),
    pushFailures: fc.array(
      event(
        fc.array(entity([...USER_IDS, '0oafuzzapp0', '0oafuzzapp1'], ['User', 'AppInstance']), { maxLength: 3 }),
        fc.constant(null),
      ),
      { maxLength: 3 },
    ),
  })
  .map((g) => {
    const sources = Object.fromEntries(SOURCE_NAMES.map((s) => [s, { status: 'complete' }])) as Inventory['sources'];
    const failed = new Set<SourceName>(g.failed);
    if (failed.has('apps')) failed.add('provisioning');
    for (const s of failed)
      sources[s] = { status: 'failed', reason: 'fuzzed failure', requiredScope: SOURCE_SCOPES[s] };
    // What a failed collector leaves behind: its data absent or null.
    const users: Record<string, OwnerUser> = {};
    const missing: string[] = [];
    if (!failed.has('owners')) {
      for (const [i, u] of g.users.entries()) {
        if (g.fates[i] === 'deleted') missing.push(u.id);
        else if (g.fates[i] === 'read') {
          users[u.id] = {
            ...u,
            groups: failed.has('ownerGroups') ? null : u.groups,
            roles: failed.has('ownerRoles') ? null : u.roles,
          };
        }
      }
    }
    const allAgents = g.agentPools.flatMap((p) => p.agents);
    return {
      schemaVersion: 1,
      org: 'fuzz.okta.com',
      collectedAt: NOW.toISOString(),
      logWindow: { since: new Date(NOW.getTime() - 90 * DAY).toISOString(), until: NOW.toISOString() },
      sources,
      apiTokens: failed.has('apiTokens') ? [] : g.apiTokens,
      networkZones: failed.has('zones') ? [] : g.zones,
      agentPools: failed.has('agentPools') ? [] : g.agentPools,
      provisioningApps: failed.has('apps')
        ? []
        : g.apps.map((a) => (failed.has('provisioning') ? { ...a, connection: null, usersInError: null } : a)),
      workflowsConnections: failed.has('workflowsEvents') ? [] : g.connections,
      provisioningAuthFailures: failed.has('provisioningEvents') ? [] : g.authFailures,
      deactivationPushFailures: failed.has('provisioningEvents') ? [] : g.pushFailures,
      provisioningAuthorizations: failed.has('provisioningEvents')
        ? {}
        : Object.fromEntries(
            g.authorizers.flatMap((actor, i) =>
              i < g.apps.length
                ? [
                    [
                      g.apps[i].id,
                      {
                        uuid: `auth-${i}`,
                        published: NOW.toISOString(),
                        eventType: 'application.lifecycle.update',
                        outcome: { result: 'SUCCESS', reason: null },
                        actor,
                        target: [],
                      },
                    ],
                  ]
                : [],
            ),
          ),
      agentRegistrations: failed.has('agentEvents')
        ? {}
        : Object.fromEntries(
            g.registrations.flatMap((actor, i) =>
              i < allAgents.length
                ? [
                    [
                      allAgents[i].id,
                      {
                        uuid: `reg-${i}`,
                        published: NOW.toISOString(),
                        eventType: 'system.agent.register',
                        outcome: { result: 'SUCCESS', reason: null },
                        actor,
                        target: [],
                      },
                    ],
                  ]
                : [],
            ),
          ),
      apiTokenCreations: {},
      users,
      missingUserIds: missing,
    } satisfies Inventory;
  });

const configArb = fc.oneof(
  fc.constant(DEFAULT_CONFIG),
  fc
    .record({
      groups: fc.subarray(['Service Accounts', 'Bots']),
      userTypes: fc.subarray(['Service', 'Employee']),
      userIds: fc.subarray(USER_IDS),
    })
    .map((sa) => parseConfig({ serviceAccounts: { ...sa, loginPatterns: ['^svc-'] } })),
  fc
    .record({ suspend: fc.integer({ min: 2, max: 90 }), warn: fc.integer({ min: 0, max: 1 }) })
    .map(({ suspend, warn }) =>
      parseConfig({
        leavers: { groups: ['Everyone'], dateAttribute: 'terminationDate', warningDays: warn },
        inactivitySuspendDays: suspend,
      }),
    ),
);

function verdictsOf(findings: readonly Finding[], ruleId: string, resourceId: string): Finding[] {
  return findings.filter(
    (f) => f.ruleId === ruleId && (f.resource.id === resourceId || f.resource.id.startsWith(`${resourceId}/`)),
  );
}

function wholeListUnknown(findings: readonly Finding[], ruleId: string): boolean {
  return findings.some((f) => f.ruleId === ruleId && f.status === 'UNKNOWN' && f.resource.id.endsWith('/*'));
}

function check(inventory: Inventory, config: typeof DEFAULT_CONFIG): void {
  const { findings } = evaluateRules(inventory, { config, now: NOW });
  const failed = new Set(SOURCE_NAMES.filter((s) => inventory.sources[s].status === 'failed'));

  // No rule crashed.
  expect(findings.filter((f) => 'error' in f.evidence).map((f) => f.message)).toEqual([]);
  expect(new Set(findings.map((f) => f.id)).size).toBe(findings.length);
  // No PASS rests on a source that was not read.
  for (const f of findings.filter((x) => x.status === 'PASS')) {
    expect(
      getRule(f.ruleId)!.sources.filter((s) => failed.has(s)),
      `${f.ruleId} ${f.resource.id}`,
    ).toEqual([]);
  }
  // Every resource gets a verdict from every rule that covers it; a list that could not be read, one UNKNOWN.
  const judged = (ruleIds: string[], ids: string[], listFailed: boolean): void => {
    for (const ruleId of ruleIds) {
      if (listFailed) expect(wholeListUnknown(findings, ruleId), `${ruleId}: whole list UNKNOWN`).toBe(true);
      for (const id of ids) expect(verdictsOf(findings, ruleId, id).length, `${ruleId} ${id}`).toBeGreaterThan(0);
    }
  };
  judged(
    TOKEN_RULES,
    inventory.apiTokens.map((t) => t.id),
    failed.has('apiTokens'),
  );
  const adAgents = inventory.agentPools.flatMap((p) =>
    p.agents.filter((a) => a.type.toUpperCase() === 'AD' || p.type.toUpperCase() === 'AD'),
  );
  judged(
    AGENT_RULES,
    adAgents.map((a) => a.id),
    failed.has('agentPools'),
  );
  judged(
    WORKFLOWS_RULES,
    inventory.workflowsConnections.map((c) => c.id),
    failed.has('workflowsEvents'),
  );
  // Issue 18: the push rules judge the apps Okta pushes users to, the connection rules the apps
  // whose connection is in use; where what would tell was not read, the app is judged.
  const apps = inventory.provisioningApps;
  const mayPush = apps.filter((a) => pushesUsers(a) !== false);
  const mayUseConnection = apps.filter((a) => usesProvisioningConnection(a) !== false);
  judged(
    PUSH_RULES,
    mayPush.map((a) => a.id),
    failed.has('apps'),
  );
  judged(
    CONNECTION_RULES,
    mayUseConnection.map((a) => a.id),
    failed.has('apps'),
  );
  judged(
    ['org2org-token-auth'],
    mayUseConnection.filter((a) => a.name === 'okta_org2org').map((a) => a.id),
    failed.has('apps'),
  );
  judged(
    ['provisioning-connection-disabled'],
    mayPush.filter((a) => a.status === 'ACTIVE' && a.connection?.available !== false).map((a) => a.id),
    failed.has('apps'),
  );
  // An app Okta pushes no users to is told nothing about deactivations it does not push.
  for (const app of apps.filter((a) => pushesUsers(a) === false)) {
    for (const ruleId of ['provisioning-deactivation-disabled', 'provisioning-connection-disabled']) {
      expect(verdictsOf(findings, ruleId, app.id), `${ruleId} on ${app.id}, which pushes no users`).toEqual([]);
    }
  }

  // Missing data is never a PASS.
  const pass = (ruleId: string, id: string): boolean =>
    findings.some((f) => f.ruleId === ruleId && f.resource.id === id && f.status === 'PASS');
  for (const t of inventory.apiTokens) {
    const ownerRead = Object.hasOwn(inventory.users, t.userId);
    const ownerDeleted = inventory.missingUserIds.includes(t.userId);
    if (!ownerRead && !ownerDeleted) {
      expect(pass('api-token-owner-not-active', t.id), `not-active PASS without owner ${t.id}`).toBe(false);
      expect(pass('api-token-owner-super-admin', t.id), `super-admin PASS without owner ${t.id}`).toBe(false);
    }
    if (ownerRead && inventory.users[t.userId].roles === null) {
      expect(pass('api-token-owner-super-admin', t.id), `super-admin PASS without roles ${t.id}`).toBe(false);
    }
    if (t.expiresAt === null || Number.isNaN(Date.parse(t.expiresAt))) {
      expect(pass('api-token-expiring', t.id), `expiring PASS without expiry ${t.id}`).toBe(false);
    }
    if (pass('api-token-unrestricted-network', t.id)) {
      // A PASS needs the zones read, one real active zone, and no included zone open to all.
      const zones = (t.network?.include ?? []).map((id) => inventory.networkZones?.find((z) => z.id === id));
      const active = zones.filter((z) => z?.status === 'ACTIVE');
      expect(t.network?.connection, t.id).toBe('ZONE');
      expect(failed.has('zones'), t.id).toBe(false);
      expect(active.length, t.id).toBeGreaterThan(0);
      // Only an IP zone's gateways count; a dynamic zone admits by location or ASN.
      const open = active.some(
        (z) =>
          z?.type === 'IP' && z.gateways?.some((g) => ['0.0.0.0/0', '::/0', '0.0.0.0-255.255.255.255'].includes(g)),
      );
      expect(open, t.id).toBe(false);
    }
  }
  for (const f of findings.filter((x) => x.status === 'PASS' && x.owner && x.ruleId.endsWith('-human'))) {
    expect(f.owner!.kind, `${f.ruleId} ${f.resource.id}: PASS needs a service account`).toBe('service');
  }
  for (const app of inventory.provisioningApps) {
    // A user in sync error whose Okta status is not known may be a deactivated one.
    const unknownStatus = (app.usersInError ?? []).some((u) => inventory.users[u.userId]?.status === '');
    if (unknownStatus) expect(pass('provisioning-deactivation-not-pushed', `${app.id}/*`), app.id).toBe(false);
  }
  for (const a of adAgents) {
    if (!/^\s*v?\d+(\.\d+)*\s*$/i.test(a.version ?? '')) expect(pass('ad-agent-token-based', a.id)).toBe(false);
    if (a.operationalStatus !== 'OPERATIONAL') expect(pass('ad-agent-not-operational', a.id)).toBe(false);
  }
}

describe('rules on random inventories', () => {
  it('never crash, judge every resource, and never PASS what they could not see', () => {
    fc.assert(
      fc.property(inventoryArb, configArb, (inventory, config) => check(inventory, config)),
      { numRuns: RUNS, seed: SEED },
    );
  });
});
