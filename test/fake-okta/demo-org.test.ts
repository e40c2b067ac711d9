import { describe, expect, it } from 'vitest';
import demoConfig from '../../fake-okta/orgs/demo-config.json';
import { loadOrg } from '../../fake-okta/server';
import type { FakeApp, FakeOrgFixture, Json } from '../../fake-okta/types';
import { RULE_IDS } from '../../lambda/rules';

// The demo org must show every rule failing at least once, and clean integrations passing.
// These checks read the fixture directly, with the rules' meaning from README.md and the
// scanner's default service-account signals, so they hold whatever the scanner's code does.

const org: FakeOrgFixture = loadOrg('demo');
const asOf = Date.parse(org.asOf);
const DAY = 86_400_000;
const lookbackStart = asOf - 90 * DAY;

const profile = (u: Json): Json => u.profile as Json;
const userById = (id: unknown): Json | undefined => org.users.find((u) => u.id === id);
const groupNames = (userId: unknown): string[] =>
  org.groups.filter((g) => g.members.includes(String(userId))).map((g) => g.profile.name);

function isServiceAccount(user: Json): boolean {
  return (
    groupNames(user.id).includes('Service Accounts') ||
    String(profile(user).userType ?? '').toLowerCase() === 'service' ||
    /^(svc|service)[-_.]/i.test(String(profile(user).login))
  );
}

function roleTypes(userId: unknown): { type: string; via: 'USER' | 'GROUP' }[] {
  const groupIds = org.groups.filter((g) => g.members.includes(String(userId))).map((g) => g.id);
  return org.roleAssignments.flatMap((r): { type: string; via: 'USER' | 'GROUP' }[] => {
    if (r.userId === userId) return [{ type: r.type, via: 'USER' }];
    if (r.groupId && groupIds.includes(r.groupId)) return [{ type: r.type, via: 'GROUP' }];
    return [];
  });
}

const inWindow = (e: Json): boolean => {
  const t = Date.parse(String(e.published));
  return t >= lookbackStart && t < asOf;
};
const events = (type: string): Json[] => org.logs.filter((e) => e.eventType === type && inWindow(e));
const targets = (e: Json, type: string): Json[] => (e.target as Json[]).filter((t) => t.type === type);
const actor = (e: Json): Json => e.actor as Json;

function versionBelow(version: string, floor: number[]): boolean {
  const parts = version.split('.').map(Number);
  for (let i = 0; i < floor.length; i++) {
    if ((parts[i] ?? 0) !== floor[i]) return (parts[i] ?? 0) < floor[i];
  }
  return false;
}

const adAgents = org.agentPools
  .filter((p) => p.type === 'AD')
  .flatMap((p) => (p.agents as Json[]).map((a) => ({ agent: a, pool: p })));

/** Live Workflows connections: the last create/reauthorize/delete/revoke event per connection. */
function liveWorkflowsConnections(): { id: string; authorizer: Json }[] {
  const last = new Map<string, Json>();
  const wf = org.logs
    .filter((e) => String(e.eventType).startsWith('workflows.user.connection.') && inWindow(e))
    .sort((a, b) => String(a.published).localeCompare(String(b.published)));
  for (const e of wf) last.set(String(targets(e, 'WorkflowsConnection')[0].id), e);
  return [...last.entries()]
    .filter(([, e]) => /\.(create|reauthorize)$/.test(String(e.eventType)))
    .map(([id, e]) => ({ id, authorizer: userById(actor(e).id)! }));
}

/** Users Okta Workflows acted as in the window: the client's user agent is Azuqua. */
const workflowsActors = (): unknown[] =>
  org.logs
    .filter((e) => inWindow(e) && ((e.client as Json).userAgent as Json).rawUserAgent === 'Azuqua')
    .map((e) => actor(e).id);

const zoneById = (id: string): Json | undefined => org.zones?.find((z) => z.id === id);
const gatewaysOf = (zone: Json | undefined): string[] =>
  ((zone?.gateways as Json[] | null) ?? []).map((g) => String(g.value));
/** The token is allowed only in zones (ZONE with an include list) and `test` holds for that list. */
const tokensOnZonesOf = (token: Json, test: (include: string[]) => boolean): boolean => {
  const network = token.network as Json;
  const include = (network.include as string[] | undefined) ?? [];
  return network.connection === 'ZONE' && include.length > 0 && test(include);
};
const tokensOnZones = (test: (include: string[]) => boolean): boolean =>
  org.apiTokens.some((t) => tokensOnZonesOf(t, test));

const activeApps = org.apps.filter((a) => a.app.status === 'ACTIVE');
const provisions = (a: FakeApp): boolean =>
  (a.app.features as string[]).some((f) => f.startsWith('PUSH_') || f === 'SCIM_PROVISIONING');
const provisioningApps = activeApps.filter(provisions);

function lastProvisioningAuthorizer(app: FakeApp): Json | undefined {
  const updates = events('application.lifecycle.update')
    .filter((e) => targets(e, 'AppInstance').some((t) => t.id === app.app.id))
    .sort((a, b) => String(a.published).localeCompare(String(b.published)));
  const last = updates[updates.length - 1];
  return last ? userById(actor(last).id) : undefined;
}

const deactivateSetting = (a: FakeApp): unknown =>
  (
    ((a.features?.[0]?.capabilities as Json | undefined)?.update as Json | undefined)?.lifecycleDeactivate as
      | Json
      | undefined
  )?.status;

/** For each rule id: a description of a FAIL case and whether the fixture has it. */
const FAIL_CASES: Record<string, [string, () => boolean][]> = {
  'api-token-owner-is-human': [
    [
      'a token owned by an active person',
      () => org.apiTokens.some((t) => userById(t.userId) && !isServiceAccount(userById(t.userId)!)),
    ],
  ],
  'api-token-owner-not-active': [
    [
      'a token whose owner is DEPROVISIONED',
      () => org.apiTokens.some((t) => userById(t.userId)?.status === 'DEPROVISIONED'),
    ],
    ['a token whose owner no longer exists', () => org.apiTokens.some((t) => !userById(t.userId))],
  ],
  'api-token-owner-super-admin': [
    [
      'a token whose owner is SUPER_ADMIN through a group',
      () => org.apiTokens.some((t) => roleTypes(t.userId).some((r) => r.type === 'SUPER_ADMIN' && r.via === 'GROUP')),
    ],
  ],
  'api-token-expiring': [
    [
      'a token expiring within 7 days',
      () =>
        org.apiTokens.some(
          (t) => Date.parse(String(t.expiresAt)) - asOf > 0 && Date.parse(String(t.expiresAt)) - asOf <= 7 * DAY,
        ),
    ],
  ],
  'api-token-unused': [
    [
      'a token not used for 14 days or more (its expiry minus its 30-day window)',
      () => org.apiTokens.some((t) => asOf - (Date.parse(String(t.expiresAt)) - 30 * DAY) >= 14 * DAY),
    ],
  ],
  'api-token-unrestricted-network': [
    ['a token usable from ANYWHERE', () => org.apiTokens.some((t) => (t.network as Json).connection === 'ANYWHERE')],
    [
      'an exclude-only token (ZONE without include)',
      () => org.apiTokens.some((t) => (t.network as Json).connection === 'ZONE' && !(t.network as Json).include),
    ],
    ['a token allowed only in a deleted zone', () => tokensOnZones((ids) => ids.every((id) => !zoneById(id)))],
    [
      'a token allowed in a 0.0.0.0/0 zone',
      () => tokensOnZones((ids) => ids.some((id) => gatewaysOf(zoneById(id)).includes('0.0.0.0/0'))),
    ],
  ],
  'ad-agent-token-based': [
    [
      'an AD agent older than 3.18.0',
      () => adAgents.some(({ agent }) => versionBelow(String(agent.version), [3, 18, 0])),
    ],
    [
      'an agent at 3.9.1 (a string compare would call it newer)',
      () => adAgents.some(({ agent }) => agent.version === '3.9.1'),
    ],
  ],
  'ad-agent-not-operational': [
    [
      'a DISRUPTED agent in a pool that still has an operational one',
      () =>
        adAgents.some(
          ({ agent, pool }) =>
            agent.operationalStatus === 'DISRUPTED' &&
            (pool.agents as Json[]).some((a) => a.operationalStatus === 'OPERATIONAL'),
        ),
    ],
    [
      'a pool whose only agent is INACTIVE',
      () =>
        adAgents.some(
          ({ agent, pool }) => agent.operationalStatus === 'INACTIVE' && (pool.agents as Json[]).length === 1,
        ),
    ],
  ],
  'workflows-connection-authorized-by-human': [
    [
      'a live connection last authorized by an active person',
      () => liveWorkflowsConnections().some((c) => c.authorizer.status === 'ACTIVE' && !isServiceAccount(c.authorizer)),
    ],
    [
      'Workflows acting as an active person (user agent Azuqua) who has no connection event in the window',
      () =>
        workflowsActors().some((id) => {
          const person = userById(id);
          const connectionEvents = org.logs.filter(
            (e) => String(e.eventType).startsWith('workflows.user.connection.') && inWindow(e) && actor(e).id === id,
          );
          return person?.status === 'ACTIVE' && !isServiceAccount(person) && connectionEvents.length === 0;
        }),
    ],
  ],
  'workflows-connection-authorizer-not-active': [
    [
      'a live connection authorized by a DEPROVISIONED user',
      () => liveWorkflowsConnections().some((c) => c.authorizer.status === 'DEPROVISIONED'),
    ],
  ],
  'provisioning-connection-disabled': [
    [
      'an active provisioning app whose connection is DISABLED',
      () => provisioningApps.some((a) => a.connection?.status === 'DISABLED'),
    ],
  ],
  'provisioning-auth-failing': [
    [
      'an authentication failure for an active app within the lookback',
      () =>
        events('application.integration.authentication_failure').some(
          (e) =>
            (e.outcome as Json).result === 'FAILURE' &&
            targets(e, 'AppInstance').some((t) => activeApps.some((a) => a.app.id === t.id)),
        ),
    ],
  ],
  'provisioning-deactivation-not-pushed': [
    [
      'a failed deactivation push for a DEPROVISIONED user',
      () =>
        events('application.provision.user.deactivate').some(
          (e) =>
            (e.outcome as Json).result === 'FAILURE' &&
            targets(e, 'User').some((t) => userById(t.id)?.status === 'DEPROVISIONED'),
        ),
    ],
    [
      'an app user in sync ERROR for a DEPROVISIONED Okta user',
      () =>
        activeApps.some((a) =>
          (a.users ?? []).some((au) => au.syncState === 'ERROR' && userById(au.id)?.status === 'DEPROVISIONED'),
        ),
    ],
  ],
  'provisioning-deactivation-disabled': [
    [
      'a provisioning app without PUSH_USER_DEACTIVATION',
      () => provisioningApps.some((a) => !(a.app.features as string[]).includes('PUSH_USER_DEACTIVATION')),
    ],
  ],
  'provisioning-authorized-by-human': [
    [
      'a provisioning app last authorized by a person',
      () =>
        provisioningApps.some((a) => {
          const who = lastProvisioningAuthorizer(a);
          return who !== undefined && !isServiceAccount(who);
        }),
    ],
  ],
  'owner-leaving': [
    [
      "a token owner in the demo config's leavers group",
      () => org.apiTokens.some((t) => demoConfig.leavers.groups.some((g) => groupNames(t.userId).includes(g))),
    ],
    [
      'a provisioning authorizer whose termination date is next week',
      () =>
        provisioningApps.some((a) => {
          const date = profile(lastProvisioningAuthorizer(a) ?? {}).terminationDate;
          const days = (Date.parse(String(date)) - asOf) / DAY;
          return days > 0 && days <= 7;
        }),
    ],
  ],
  'owner-inactive': [
    [
      'a token owner who has not signed in for 60 days',
      () =>
        org.apiTokens.some((t) => {
          const owner = userById(t.userId);
          const idle = (asOf - Date.parse(String(owner?.lastLogin))) / DAY;
          return owner?.status === 'ACTIVE' && idle >= 59 && idle <= 61;
        }),
    ],
  ],
  'org2org-token-auth': [
    [
      'an active Org2Org app provisioning with an API token',
      () => activeApps.some((a) => a.app.name === 'okta_org2org' && a.connection?.authScheme === 'TOKEN'),
    ],
  ],
};

describe('the demo org', () => {
  it('has a FAIL case for exactly the rules in the catalogue', () => {
    expect(Object.keys(FAIL_CASES).sort()).toEqual([...RULE_IDS].sort());
  });

  for (const [ruleId, cases] of Object.entries(FAIL_CASES)) {
    for (const [description, present] of cases) {
      it(`fails ${ruleId}: ${description}`, () => {
        expect(present()).toBe(true);
      });
    }
  }

  it('has API tokens that pass every token rule', () => {
    const clean = org.apiTokens.filter((t) => {
      const owner = userById(t.userId);
      return (
        owner?.status === 'ACTIVE' &&
        isServiceAccount(owner) &&
        !roleTypes(t.userId).some((r) => r.type === 'SUPER_ADMIN') &&
        Date.parse(String(t.expiresAt)) - asOf > 7 * DAY &&
        tokensOnZonesOf(t, (ids) => ids.every((id) => zoneById(id)?.status === 'ACTIVE'))
      );
    });
    expect(clean.length).toBeGreaterThanOrEqual(2);
  });

  it('has a token with logged changes in the window, from one IP and user agent, and an idle one', () => {
    const byToken = (id: unknown): Json[] =>
      org.logs.filter((e) => inWindow(e) && ((e.transaction as Json).detail as Json)?.requestApiTokenId === id);
    const used = org.apiTokens.filter((t) => byToken(t.id).length > 0);
    expect(used.length).toBeGreaterThan(0);
    for (const token of used) expect(new Set(byToken(token.id).map((e) => (e.client as Json).ipAddress)).size).toBe(1);
    expect(org.apiTokens.some((t) => byToken(t.id).length === 0)).toBe(true);
  });

  it('has service accounts recognised by each signal alone', () => {
    const only = (login: string): Json => org.users.find((u) => profile(u).login === login)!;
    const bot = only('okta-scim-bot@acme.com');
    expect(String(profile(bot).userType).toLowerCase()).toBe('service');
    const hr = only('hr-connector@acme.com');
    expect([profile(hr).userType, /^(svc|service)[-_.]/.test(String(profile(hr).login))]).toEqual([undefined, false]);
    expect(groupNames(hr.id)).toContain('Service Accounts');
    expect(profile(only('svc-terraform@acme.com')).userType).not.toBe('Service');
  });

  it('has AD agents on OAuth (3.18.0 and later) that are operational', () => {
    expect(
      adAgents.filter(
        ({ agent }) => !versionBelow(String(agent.version), [3, 18, 0]) && agent.operationalStatus === 'OPERATIONAL',
      ),
    ).toHaveLength(2);
  });

  it('has a live Workflows connection authorized by a service account and one that was deleted', () => {
    const live = liveWorkflowsConnections();
    expect(live.some((c) => isServiceAccount(c.authorizer))).toBe(true);
    const created = new Set(
      events('workflows.user.connection.create').map((e) => targets(e, 'WorkflowsConnection')[0].id),
    );
    expect([...created].some((id) => !live.some((c) => c.id === id))).toBe(true);
  });

  it('has a clean provisioning app: Google Workspace', () => {
    const google = provisioningApps.find((a) => a.app.name === 'google')!;
    expect(google.connection?.status).toBe('ENABLED');
    expect(google.app.features).toContain('PUSH_USER_DEACTIVATION');
    expect(deactivateSetting(google)).toBe('ENABLED');
    expect(isServiceAccount(lastProvisioningAuthorizer(google)!)).toBe(true);
    expect(
      events('application.integration.authentication_failure').some(
        (e) => targets(e, 'AppInstance')[0].id === google.app.id,
      ),
    ).toBe(false);
  });

  it('has an Org2Org app on OAuth 2.0 authorized by a service account', () => {
    const oauth = provisioningApps.find(
      (a) => a.app.name === 'okta_org2org' && (a.connection?.profile as Json | undefined)?.authScheme === 'OAUTH2',
    )!;
    expect(isServiceAccount(lastProvisioningAuthorizer(oauth)!)).toBe(true);
  });

  it('has an Org2Org app used for sign-in only, edited by a person, with no provisioning set up (issue 18)', () => {
    const signInOnly = activeApps.filter(
      (a) =>
        a.app.name === 'okta_org2org' &&
        (a.app.features as string[]).length === 0 &&
        a.features === undefined &&
        a.connection?.status === 'DISABLED',
    );
    expect(signInOnly).toHaveLength(1);
    const editor = lastProvisioningAuthorizer(signInOnly[0]);
    expect(editor !== undefined && !isServiceAccount(editor)).toBe(true);
  });

  it('has an Org2Org app used for import only, on OAuth 2.0, that pushes no users (issue 18)', () => {
    const importOnly = activeApps.filter(
      (a) =>
        a.app.name === 'okta_org2org' &&
        (a.app.features as string[]).includes('IMPORT_NEW_USERS') &&
        !provisions(a) &&
        a.features?.[0]?.status === 'DISABLED',
    );
    expect(importOnly).toHaveLength(1);
    expect((importOnly[0].connection?.profile as Json | undefined)?.authScheme).toBe('OAUTH2');
    expect(isServiceAccount(lastProvisioningAuthorizer(importOnly[0])!)).toBe(true);
  });

  it('has an INACTIVE app and events outside the 90-day window the scanner must ignore', () => {
    expect(org.apps.some((a) => a.app.status === 'INACTIVE' && provisions(a))).toBe(true);
    expect(org.logs.filter((e) => Date.parse(String(e.published)) < lookbackStart).length).toBeGreaterThanOrEqual(2);
  });

  it('has token owners SUSPENDED and LOCKED_OUT, whom no deactivation stopped (issue 14)', () => {
    const statuses = org.apiTokens.map((t) => userById(t.userId)?.status);
    expect(statuses).toContain('SUSPENDED');
    expect(statuses).toContain('LOCKED_OUT');
  });

  it('comes with a config that turns on the leaver and inactivity rules (issue 14)', () => {
    expect(demoConfig.leavers.dateAttribute).toBe('terminationDate');
    expect(demoConfig.inactivitySuspendDays).toBeGreaterThan(demoConfig.leavers.warningDays);
  });

  it('uses Okta-like ids', () => {
    expect(org.users.every((u) => /^00u\w{17}$/.test(String(u.id)))).toBe(true);
    expect(org.groups.every((g) => /^00g\w{17}$/.test(g.id))).toBe(true);
    expect(org.apiTokens.every((t) => /^00T\w{17}$/.test(String(t.id)))).toBe(true);
    expect(org.apps.every((a) => /^0oa\w{17}$/.test(String(a.app.id)))).toBe(true);
    expect(org.users.every((u) => String(profile(u).login).endsWith('@acme.com'))).toBe(true);
  });
});
