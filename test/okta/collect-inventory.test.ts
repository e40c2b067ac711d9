import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FakeOkta } from '../../fake-okta/types';
import type { Inventory } from '../../lambda/domain/inventory';
import { collectInventory } from '../../lambda/okta/collect-inventory';
import { COLLECT, IDS, sswsClient, startOrg } from './fixtures';

describe('collectInventory on a small org', () => {
  let okta: FakeOkta;
  let inventory: Inventory;

  beforeAll(async () => {
    okta = await startOrg();
    inventory = await collectInventory(sswsClient(okta), COLLECT);
  });
  afterAll(() => okta.close());

  it('marks every source complete', () => {
    expect(Object.values(inventory.sources).every((s) => s.status === 'complete')).toBe(true);
  });

  it('keeps every API token field, with dates as ISO strings', () => {
    expect(inventory.apiTokens).toHaveLength(4);
    expect(inventory.apiTokens[0]).toEqual({
      id: '00Talice0000000000001',
      name: 'SIEM export',
      userId: IDS.alice,
      clientName: 'Okta API',
      created: '2026-10-01T10:00:00.000Z',
      lastUpdated: '2026-11-20T10:00:00.000Z',
      expiresAt: '2026-12-20T10:00:00.000Z',
      tokenWindow: 'P30D',
      network: { connection: 'ZONE', include: ['nzo1'], exclude: [] },
    });
    expect(inventory.apiTokens.find((t) => t.id === '00Tfrank000000000004')?.clientName).toBe('Okta AD Agent');
  });

  it('keeps agent versions raw and turns lastConnection epoch milliseconds into ISO', () => {
    const agents = inventory.agentPools[0].agents;
    expect(agents.map((a) => a.version)).toEqual(['3.9.1', '3.18.0']);
    expect(agents[0].lastConnection).toBe(new Date(1_764_201_600_000).toISOString());
    expect(agents[0]).toMatchObject({ poolId: IDS.pool, operationalStatus: 'OPERATIONAL', isLatestGAedVersion: false });
  });

  it('keeps only active apps that provision users', () => {
    expect(inventory.provisioningApps.map((a) => a.id)).toEqual([IDS.o2o, IDS.scim]);
  });

  it('reads the Org2Org connection, its Deactivate Users toggle and its users in sync error', () => {
    const o2o = inventory.provisioningApps.find((a) => a.id === IDS.o2o)!;
    expect(o2o.connection).toEqual({
      available: true,
      status: 'ENABLED',
      authScheme: 'TOKEN',
      baseUrl: 'https://target.okta.com',
    });
    expect(o2o.featuresAvailable).toBe(true);
    expect(o2o.userProvisioning).toEqual({
      status: 'ENABLED',
      lifecycleCreate: 'ENABLED',
      lifecycleDeactivate: 'DISABLED',
    });
    expect(o2o.usersInError).toEqual([
      { userId: IDS.bob, status: 'PROVISIONED', syncState: 'ERROR', userName: 'bob@target.example.com' },
    ]);
  });

  it('records a generic SCIM app without connection or features endpoints as not available, not as an error', () => {
    const scim = inventory.provisioningApps.find((a) => a.id === IDS.scim)!;
    expect(scim.connection).toEqual({ available: false });
    expect(scim.featuresAvailable).toBe(false);
    expect(scim.userProvisioning).toBeNull();
    expect(scim.usersInError).toEqual([]);
  });

  it('keeps only live Workflows connections, with who last authorized them', () => {
    expect(inventory.workflowsConnections).toEqual([
      {
        id: 'wfc1',
        name: 'Okta - prod (Carol)',
        connector: 'Okta',
        lastAuthorizedBy: {
          id: IDS.alice,
          type: 'User',
          alternateId: 'alice@example.com',
          displayName: 'alice@example.com',
        },
        lastAuthorizedAt: '2026-11-17T02:00:00.000Z',
        lastEventType: 'workflows.user.connection.reauthorize',
      },
    ]);
  });

  it('collects provisioning auth failures and failed deactivation pushes, not successes', () => {
    expect(inventory.provisioningAuthFailures.map((e) => e.uuid)).toEqual(['pv-1', 'pv-2']);
    expect(inventory.deactivationPushFailures.map((e) => e.uuid)).toEqual(['pv-4']);
  });

  it("takes the last person-made app update as each app's provisioning authorization", () => {
    expect(
      Object.fromEntries(Object.entries(inventory.provisioningAuthorizations).map(([k, v]) => [k, v.uuid])),
    ).toEqual({ [IDS.o2o]: 'pv-7', [IDS.scim]: 'pv-8' });
  });

  it('maps agent registrations by agent id, by AgentInstance target or by a known agent id', () => {
    expect(inventory.agentRegistrations[IDS.oldAgent]?.actor?.id).toBe(IDS.dave);
    expect(inventory.agentRegistrations[IDS.newAgent]?.actor?.id).toBe(IDS.erin);
  });

  it('maps API token creations by token id', () => {
    expect(Object.keys(inventory.apiTokenCreations)).toEqual(['00Talice0000000000001']);
    expect(inventory.apiTokenCreations['00Talice0000000000001'].actor?.id).toBe(IDS.alice);
  });

  it('reads exactly the referenced owners: token owners, authorizers and installers of pre-3.18 agents', () => {
    expect(Object.keys(inventory.users).sort()).toEqual([IDS.alice, IDS.bob, IDS.dave, IDS.svc].sort());
  });

  it('includes DEPROVISIONED owners with their status', () => {
    expect(inventory.users[IDS.bob].status).toBe('DEPROVISIONED');
  });

  it('lists a referenced user Okta answers 404 for as missing', () => {
    expect(inventory.missingUserIds).toEqual([IDS.frank]);
  });

  it('includes admin roles inherited through a group, marked GROUP', () => {
    expect(inventory.users[IDS.alice].roles).toEqual([
      { type: 'SUPER_ADMIN', label: 'Super Administrator', status: 'ACTIVE', assignmentType: 'GROUP' },
    ]);
    expect(inventory.users[IDS.svc].roles?.[0]).toMatchObject({ type: 'ORG_ADMIN', assignmentType: 'USER' });
  });

  it("reads each owner's groups and profile signals", () => {
    expect(inventory.users[IDS.alice].groups?.map((g) => g.name)).toEqual(['Okta Admins', 'Everyone']);
    expect(inventory.users[IDS.svc]).toMatchObject({
      login: 'svc-okta@example.com',
      typeId: 'oty00000000000000001',
      profile: { userType: 'Service' },
    });
  });

  it('records the bounded log window it used', () => {
    expect(inventory.logWindow).toEqual({ since: '2026-08-29T02:00:00.000Z', until: '2026-11-27T02:00:00.000Z' });
    expect(inventory.collectedAt).toBe('2026-11-27T02:00:00.000Z');
  });

  it('produces plain JSON data that survives a JSON round trip unchanged', () => {
    expect(JSON.parse(JSON.stringify(inventory))).toEqual(inventory);
  });
});

describe('collectInventory options', () => {
  let okta: FakeOkta;
  beforeAll(async () => {
    okta = await startOrg();
  });
  afterAll(() => okta.close());

  it('reads only the sources asked for and marks the others skipped', async () => {
    okta.resetRequests();
    const inventory = await collectInventory(sswsClient(okta), { ...COLLECT, sources: ['apiTokens'] });
    expect(okta.requests.map((r) => r.path)).toEqual(['/api/v1/api-tokens']);
    expect(inventory.sources.apiTokens.status).toBe('complete');
    expect(inventory.sources.agentPools.status).toBe('skipped');
    expect(inventory.sources.owners.status).toBe('skipped');
    expect(inventory.users).toEqual({});
  });

  it('reads the app list when only provisioning is asked for, since the per-app reads need it', async () => {
    const inventory = await collectInventory(sswsClient(okta), { ...COLLECT, sources: ['provisioning'] });
    expect(inventory.sources.apps.status).toBe('complete');
    expect(inventory.sources.provisioning.status).toBe('complete');
    expect(inventory.provisioningApps).toHaveLength(2);
  });

  it('leaves per-app fields null when apps are read without provisioning', async () => {
    const inventory = await collectInventory(sswsClient(okta), { ...COLLECT, sources: ['apps'] });
    expect(inventory.sources.provisioning.status).toBe('skipped');
    expect(inventory.provisioningApps[0]).toMatchObject({
      connection: null,
      usersInError: null,
      featuresAvailable: null,
    });
  });

  it('reads extra users given by id or login, and lists unknown ones as missing', async () => {
    okta.resetRequests();
    const inventory = await collectInventory(sswsClient(okta), {
      ...COLLECT,
      sources: ['owners', 'ownerGroups', 'ownerRoles'],
      extraUsers: ['zed@example.com', IDS.erin, 'ghost@example.com'],
    });
    expect(Object.keys(inventory.users).sort()).toEqual([IDS.erin, IDS.zed].sort());
    expect(inventory.missingUserIds).toEqual(['ghost@example.com']);
    expect(okta.requests.find((r) => r.query.search?.includes('profile.login eq "zed@example.com"'))).toBeDefined();
  });

  it('reports progress in plain lines', async () => {
    const lines: string[] = [];
    await collectInventory(sswsClient(okta), { ...COLLECT, onProgress: (m) => lines.push(m) });
    expect(lines).toContain('Read 4 API tokens');
    expect(lines.some((l) => l.startsWith('Read 4 users'))).toBe(true);
  });
});
