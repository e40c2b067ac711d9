import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { FakeOkta, FaultRule } from '../../fake-okta/types';
import type { Inventory, SourceName } from '../../lambda/domain/inventory';
import { collectInventory } from '../../lambda/okta/collect-inventory';
import { COLLECT, GOOD_TOKEN, IDS, smallOrg, sswsClient, startOrg } from './fixtures';

// Every fault ends in a successful retry or in one clear per-source error: never a hang, a crash
// or data that silently goes missing.

let okta: FakeOkta;
beforeAll(async () => {
  okta = await startOrg(smallOrg(), {
    credentials: {
      apiTokens: [
        { token: GOOD_TOKEN },
        {
          token: 'no-agent-pools',
          scopes: [
            'okta.apiTokens.read',
            'okta.apps.read',
            'okta.logs.read',
            'okta.users.read',
            'okta.roles.read',
            'okta.networkZones.read',
          ],
        },
        {
          token: 'no-api-tokens',
          scopes: [
            'okta.agentPools.read',
            'okta.apps.read',
            'okta.logs.read',
            'okta.users.read',
            'okta.roles.read',
            'okta.networkZones.read',
          ],
        },
        {
          token: 'no-roles',
          scopes: [
            'okta.apiTokens.read',
            'okta.agentPools.read',
            'okta.apps.read',
            'okta.logs.read',
            'okta.users.read',
            'okta.networkZones.read',
          ],
        },
        {
          token: 'no-zones',
          scopes: [
            'okta.apiTokens.read',
            'okta.agentPools.read',
            'okta.apps.read',
            'okta.logs.read',
            'okta.users.read',
            'okta.roles.read',
          ],
        },
      ],
    },
  });
});
afterAll(() => okta.close());
afterEach(() => {
  okta.clearFaults();
  okta.resetRequests();
});

function statuses(inventory: Inventory): Record<SourceName, string> {
  return Object.fromEntries(Object.entries(inventory.sources).map(([k, v]) => [k, v.status])) as Record<
    SourceName,
    string
  >;
}

function failedOnly(inventory: Inventory, failed: SourceName[]): void {
  for (const [name, state] of Object.entries(inventory.sources)) {
    expect(`${name}: ${state.status}`).toBe(`${name}: ${failed.includes(name as SourceName) ? 'failed' : 'complete'}`);
  }
}

async function scanWith(rule: FaultRule, options = {}): Promise<Inventory> {
  okta.fault(rule);
  return collectInventory(sswsClient(okta, options), COLLECT);
}

describe('missing scopes', () => {
  it('fails only the source whose scope is missing, naming the scope, and completes the others', async () => {
    const inventory = await collectInventory(sswsClient(okta, {}, 'no-agent-pools'), COLLECT);
    failedOnly(inventory, ['agentPools']);
    expect(inventory.sources.agentPools).toEqual({
      status: 'failed',
      reason:
        'Okta answered 403 E0000006 (You do not have permission to perform the requested action) to GET /api/v1/agentPools: the credentials lack okta.agentPools.read or an admin role that allows this read',
      requiredScope: 'okta.agentPools.read',
    });
    expect(inventory.agentPools).toEqual([]);
  });

  it('treats a 403 on the very first request as a missing scope, not as bad credentials', async () => {
    const inventory = await collectInventory(sswsClient(okta, {}, 'no-api-tokens'), COLLECT);
    failedOnly(inventory, ['apiTokens', 'apiTokenUsage']);
    expect(Object.keys(inventory.users).length).toBeGreaterThan(0);
  });

  it('leaves roles null on every owner when roles cannot be read, and keeps their groups', async () => {
    const inventory = await collectInventory(sswsClient(okta, {}, 'no-roles'), COLLECT);
    failedOnly(inventory, ['ownerRoles']);
    expect(inventory.sources.ownerRoles).toMatchObject({ requiredScope: 'okta.roles.read' });
    expect(Object.values(inventory.users).every((u) => u.roles === null && u.groups !== null)).toBe(true);
  });

  it('fails only the zones when okta.networkZones.read is missing, naming it', async () => {
    const inventory = await collectInventory(sswsClient(okta, {}, 'no-zones'), COLLECT);
    failedOnly(inventory, ['zones']);
    expect(inventory.sources.zones).toMatchObject({
      status: 'failed',
      reason: expect.stringContaining('GET /api/v1/zones: the credentials lack okta.networkZones.read'),
      requiredScope: 'okta.networkZones.read',
    });
    expect(inventory.networkZones).toEqual([]);
  });
});

describe('401 after the first request', () => {
  it('fails the sources that got it instead of stopping the scan', async () => {
    const inventory = await scanWith({ route: '/api/v1/logs', fault: { kind: 'status', status: 401 } });
    failedOnly(inventory, ['workflowsEvents', 'provisioningEvents', 'agentEvents', 'apiTokenEvents', 'apiTokenUsage']);
    expect(inventory.sources.workflowsEvents).toMatchObject({
      reason: expect.stringMatching(/^Okta answered 401 E0000011 .* stopped accepting the credentials/),
    });
  });
});

describe('rate limits', () => {
  it('retries a 429 that carries X-Rate-Limit-Reset and gets the data', async () => {
    okta.fault({ route: '/api/v1/agentPools', fault: { kind: 'rateLimit', withResetHeader: true }, times: 2 });
    const client = sswsClient(okta);
    const inventory = await collectInventory(client, COLLECT);
    failedOnly(inventory, []);
    expect(inventory.agentPools).toHaveLength(1);
    expect(client.stats).toMatchObject({ throttled: 2, retries: 2 });
  });

  it('backs off by itself on a 429 without X-Rate-Limit-Reset, which the SDK would not retry', async () => {
    const waits: number[] = [];
    okta.fault({ route: '/api/v1/agentPools', fault: { kind: 'rateLimit', withResetHeader: false }, times: 2 });
    const client = sswsClient(okta, { sleep: async (ms) => void waits.push(ms) });
    const inventory = await collectInventory(client, COLLECT);
    expect(inventory.sources.agentPools.status).toBe('complete');
    expect(waits).toEqual([1000, 2000]);
  });

  it('gives up after the retries allowed and fails that source as rate-limited', async () => {
    const inventory = await scanWith({
      route: '/api/v1/agentPools',
      fault: { kind: 'rateLimit', withResetHeader: false },
    });
    failedOnly(inventory, ['agentPools']);
    expect(inventory.sources.agentPools).toMatchObject({
      reason: expect.stringMatching(/^Okta answered 429 E0000047 .*still rate-limited/),
    });
    expect(okta.requests.filter((r) => r.path === '/api/v1/agentPools')).toHaveLength(3);
  });
});

describe('server errors', () => {
  it('retries a 500 and gets the data', async () => {
    const inventory = await scanWith({ route: '/api/v1/agentPools', fault: { kind: 'status', status: 500 }, times: 1 });
    failedOnly(inventory, []);
    expect(inventory.agentPools).toHaveLength(1);
  });

  it('fails the source on a 503 that does not go away', async () => {
    const inventory = await scanWith({ route: '/api/v1/api-tokens', fault: { kind: 'status', status: 503 } });
    failedOnly(inventory, ['apiTokens', 'apiTokenUsage']);
    expect(inventory.sources.apiTokens).toMatchObject({
      reason: expect.stringMatching(/^Okta answered 503 .* failed on its side/),
    });
  });
});

describe('timeouts', () => {
  it('retries a response slower than the timeout and gets the data', async () => {
    const inventory = await scanWith(
      { route: '/api/v1/agentPools', fault: { kind: 'delay', ms: 1_500 }, times: 1 },
      { requestTimeoutMs: 300 },
    );
    expect(inventory.sources.agentPools.status).toBe('complete');
  });

  it('fails the source when every attempt is too slow, without hanging', async () => {
    const started = Date.now();
    const inventory = await scanWith(
      { route: '/api/v1/agentPools', fault: { kind: 'delay', ms: 1_500 } },
      { requestTimeoutMs: 300 },
    );
    failedOnly(inventory, ['agentPools']);
    expect(inventory.sources.agentPools).toMatchObject({
      reason: 'GET /api/v1/agentPools got no complete answer within 300 ms (3 attempts)',
    });
    expect(Date.now() - started).toBeLessThan(5_000);
  });
});

describe('broken responses', () => {
  it('retries a body that is not valid JSON and gets the data', async () => {
    const inventory = await scanWith({ route: '/api/v1/api-tokens', fault: { kind: 'malformed' }, times: 1 });
    failedOnly(inventory, []);
    expect(inventory.apiTokens).toHaveLength(4);
  });

  it('fails the source when the body stays malformed', async () => {
    const inventory = await scanWith({ route: '/api/v1/logs', fault: { kind: 'malformed' } });
    failedOnly(inventory, ['workflowsEvents', 'provisioningEvents', 'agentEvents', 'apiTokenEvents', 'apiTokenUsage']);
    expect(inventory.sources.agentEvents).toMatchObject({
      reason: 'Okta returned a body that is not valid JSON for GET /api/v1/logs (3 attempts)',
    });
  });

  it('retries a dropped connection and gets the data', async () => {
    const inventory = await scanWith({ route: '/api/v1/agentPools', fault: { kind: 'drop' }, times: 1 });
    failedOnly(inventory, []);
    expect(inventory.agentPools).toHaveLength(1);
  });

  it('fails the source when the connection keeps dropping', async () => {
    const inventory = await scanWith({ route: '/api/v1/agentPools', fault: { kind: 'drop' } });
    failedOnly(inventory, ['agentPools']);
    expect(inventory.sources.agentPools).toMatchObject({
      reason: expect.stringMatching(
        /^The connection to 127\.0\.0\.1:\d+ dropped during GET \/api\/v1\/agentPools .*3 attempts/,
      ),
    });
  });
});

describe('per-app provisioning reads', () => {
  it("leaves one app's connection null when it cannot be read, and reads the rest", async () => {
    const inventory = await scanWith({
      route: `/api/v1/apps/${IDS.o2o}/connections/default`,
      fault: { kind: 'status', status: 403 },
    });
    expect(statuses(inventory)).toMatchObject({ apps: 'complete', provisioning: 'failed' });
    const o2o = inventory.provisioningApps.find((a) => a.id === IDS.o2o)!;
    expect(o2o.connection).toBeNull();
    expect(o2o.usersInError).toHaveLength(1);
    expect(inventory.provisioningApps.find((a) => a.id === IDS.scim)?.connection).toEqual({ available: false });
    expect(inventory.sources.provisioning).toMatchObject({
      reason: expect.stringMatching(
        /^1 provisioning read failed: Okta Org2Org \(0oao2o00000000000001\) provisioning connection: Okta answered 403/,
      ),
      requiredScope: 'okta.apps.read',
    });
  });

  it("leaves one app's users null when they cannot be read", async () => {
    const inventory = await scanWith({
      route: `/api/v1/apps/${IDS.o2o}/users`,
      fault: { kind: 'status', status: 500 },
    });
    expect(inventory.sources.provisioning.status).toBe('failed');
    expect(inventory.provisioningApps.find((a) => a.id === IDS.o2o)?.usersInError).toBeNull();
  });

  it('fails both apps and provisioning when the app list cannot be read', async () => {
    const inventory = await scanWith({ route: /^\/api\/v1\/apps$/, fault: { kind: 'status', status: 500 } });
    expect(statuses(inventory)).toMatchObject({ apps: 'failed', provisioning: 'failed' });
  });
});

describe('owners', () => {
  it('fails owners, not the scan, when the user search fails, and reports no one as deleted', async () => {
    const inventory = await scanWith({ route: /^\/api\/v1\/users$/, fault: { kind: 'status', status: 500 } });
    expect(statuses(inventory)).toMatchObject({ owners: 'failed', apiTokens: 'complete' });
    expect(inventory.sources.owners).toMatchObject({
      reason: expect.stringMatching(/^1 owner read failed: user search \(5 users\): Okta answered 500/),
    });
    expect(inventory.users).toEqual({});
    expect(inventory.missingUserIds).toEqual([]);
  });

  it("leaves groups null when a user's groups cannot be read", async () => {
    const inventory = await scanWith({
      route: `/api/v1/users/${IDS.bob}/groups`,
      fault: { kind: 'status', status: 500 },
    });
    expect(statuses(inventory)).toMatchObject({ owners: 'complete', ownerGroups: 'failed', ownerRoles: 'complete' });
    expect(inventory.users[IDS.bob].groups).toBeNull();
    expect(inventory.users[IDS.alice].groups).not.toBeNull();
  });
});
