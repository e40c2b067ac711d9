import { afterEach, describe, expect, it } from 'vitest';
import { loadOrg } from '../../../fake-okta/fixture';
import type { FakeOkta, Json } from '../../../fake-okta/types';
import type { LogEntity, WorkflowsConnection } from '../../../lambda/domain/inventory';
import { collectInventory } from '../../../lambda/okta/collect-inventory';
import { collectApiTokenUsage } from '../../../lambda/okta/collectors/api-token-usage';
import { withWorkflowsUsage, workflowsUsageByActor } from '../../../lambda/okta/collectors/workflows-usage';
import { logWindow } from '../../../lambda/okta/system-log';
import type { UsageEvent } from '../../../lambda/okta/usage-events';
import { AS_OF, apiToken, COLLECT, IDS, logEvent, NOW, smallOrg, sswsClient, startOrg } from '../fixtures';

// Usage read from the fake Okta server's System Log, in Okta's LogEvent shape: Workflows acting
// as a person (user agent Azuqua) and the changes made with each API token.

let okta: FakeOkta | undefined;
afterEach(async () => {
  await okta?.close();
  okta = undefined;
});

const daysAgo = (days: number): string => new Date(NOW.getTime() - days * 86_400_000).toISOString();
const logs = (server: FakeOkta) => server.requests.filter((r) => r.path === '/api/v1/logs');

/** An event made by `actor` from `ipAddress` with `userAgent`, with the API token `tokenId` or none. */
function activity(uuid: string, days: number, actor: string, userAgent: string, tokenId: string | null): Json {
  const login = `${Object.entries(IDS).find(([, id]) => id === actor)?.[0]}@example.com`;
  const event = logEvent(
    uuid,
    'user.account.update_profile',
    daysAgo(days),
    { id: actor, type: 'User', alternateId: login },
    [{ id: IDS.zed, type: 'User' }],
  );
  return {
    ...event,
    client: { ipAddress: '192.0.2.44', userAgent: { rawUserAgent: userAgent, os: 'Unknown', browser: 'UNKNOWN' } },
    transaction: { type: 'WEB', id: `tx-${uuid}`, detail: tokenId ? { requestApiTokenId: tokenId } : {} },
  };
}

describe('Workflows acting as a person', () => {
  it('finds an account Workflows acts as with no connection event, and merges activity into a known Okta connection', async () => {
    const org = smallOrg();
    org.logs.push(
      activity('wf1', 3, IDS.erin, 'Azuqua', null),
      activity('wf2', 1, IDS.erin, 'Azuqua', null),
      activity('wf3', 2, IDS.alice, 'Azuqua', null),
      // The same person through a browser is not Workflows.
      activity('web', 1, IDS.dave, 'Mozilla/5.0', null),
    );
    okta = await startOrg(org);
    const inventory = await collectInventory(sswsClient(okta), { ...COLLECT, sources: ['workflowsEvents'] });

    const erin = inventory.workflowsConnections.find((c) => c.lastAuthorizedBy.id === IDS.erin);
    expect(erin).toMatchObject({
      name: 'Okta (used by Workflows as erin@example.com)',
      lastAuthorizedAt: null,
      usage: { lastUsedAt: daysAgo(1), eventCount: 2, eventTypes: { 'user.account.update_profile': 2 } },
    });
    const alice = inventory.workflowsConnections.filter((c) => c.lastAuthorizedBy.id === IDS.alice);
    expect(alice.map((c) => [c.connector, c.lastAuthorizedAt !== null, c.usage?.eventCount])).toEqual([
      ['Okta', true, 1],
    ]);
    expect(inventory.workflowsConnections.some((c) => c.lastAuthorizedBy.id === IDS.dave && c.usage)).toBe(false);
    expect(logs(okta).map((r) => r.query.filter)).toContain('client.userAgent.rawUserAgent co "Azuqua"');
  });

  it('fails the Workflows source, so no connection passes, when the System Log cannot be read', async () => {
    okta = await startOrg();
    okta.fault({ route: '/api/v1/logs', fault: { kind: 'status', status: 500 } });
    const inventory = await collectInventory(sswsClient(okta), { ...COLLECT, sources: ['workflowsEvents'] });
    expect(inventory.sources.workflowsEvents).toMatchObject({ status: 'failed', requiredScope: 'okta.logs.read' });
    expect(inventory.workflowsConnections).toEqual([]);
  });
});

describe('merging Workflows activity into the connections', () => {
  const ann: LogEntity = { id: '00uann', type: 'User', alternateId: 'ann@example.com', displayName: 'Ann' };
  const acted = (actor: LogEntity, at: string): UsageEvent => ({
    uuid: `acted-${at}`,
    published: at,
    eventType: 'group.user_membership.add',
    actor,
    ipAddress: null,
    userAgent: 'Azuqua',
    apiTokenId: null,
  });
  const slack: WorkflowsConnection = {
    id: 'c-slack',
    name: 'Slack - alerts',
    connector: 'Slack',
    lastAuthorizedBy: ann,
    lastAuthorizedAt: '2026-10-01T00:00:00.000Z',
    lastEventType: 'workflows.user.connection.create',
  };

  it("does not credit a Slack connection with Okta API calls: they prove an Okta connection of the actor's", () => {
    const usage = workflowsUsageByActor([
      acted(ann, '2026-11-02T00:00:00.000Z'),
      acted(ann, '2026-11-01T00:00:00.000Z'),
    ]);
    const merged = withWorkflowsUsage([slack], usage);
    expect(merged.map((c) => [c.id, c.usage?.eventCount ?? 0, c.usage?.lastUsedAt ?? null])).toEqual([
      ['c-slack', 0, null],
      ['okta-used-by-workflows/00uann', 2, '2026-11-02T00:00:00.000Z'],
    ]);
  });

  it('ignores actors that are not users (apps, the system)', () => {
    const app: LogEntity = { id: '0oaapp', type: 'PublicClientApp', alternateId: null, displayName: 'App' };
    expect(workflowsUsageByActor([acted(app, '2026-11-01T00:00:00.000Z')]).size).toBe(0);
  });
});

describe('API token usage', () => {
  it('gives each token its changes, IP addresses and user agents from one query for all tokens', async () => {
    const org = smallOrg();
    const token = String(org.apiTokens[0].id);
    org.logs.push(
      activity('t1', 5, IDS.alice, 'Terraform/1.9.8', token),
      activity('t2', 4, IDS.alice, 'Terraform/1.9.8', token),
      activity('t3', 2, IDS.alice, 'curl/8.5.0', token),
      activity('other', 2, IDS.alice, 'curl/8.5.0', '00Tnotlisted000000001'),
    );
    okta = await startOrg(org);
    const inventory = await collectInventory(sswsClient(okta), { ...COLLECT, sources: ['apiTokenUsage'] });

    expect(inventory.sources.apiTokenUsage.status).toBe('complete');
    expect(inventory.apiTokenUsage).toEqual({
      [token]: {
        eventCount: 3,
        eventTypes: { 'user.account.update_profile': 3 },
        ipAddresses: ['192.0.2.44'],
        userAgents: ['Terraform/1.9.8', 'curl/8.5.0'],
        firstEventAt: daysAgo(5),
        lastEventAt: daysAgo(2),
      },
    });
    const usageQueries = logs(okta).filter((r) => r.query.filter?.includes('requestApiTokenId'));
    expect(usageQueries).toHaveLength(1);
    expect(usageQueries[0].query).toMatchObject({ since: daysAgo(90), until: AS_OF });
  });

  it('asks for 45 tokens in 3 bounded queries of at most 20', async () => {
    const org = smallOrg();
    org.apiTokens = Array.from({ length: 45 }, (_, i) =>
      apiToken(`00Tmany${String(i).padStart(13, '0')}`, `token ${i}`, IDS.svc),
    );
    okta = await startOrg(org);
    const tokens = org.apiTokens.map((t) => ({ id: String(t.id) }) as never);
    await collectApiTokenUsage(sswsClient(okta), tokens, logWindow(NOW, 90));
    const clauses = logs(okta).map((r) => (r.query.filter?.match(/requestApiTokenId eq/g) ?? []).length);
    expect(clauses.sort((a, b) => a - b)).toEqual([5, 20, 20]);
  });

  it('batches the token ids the same whatever order the list came in (a resumed scan step asks for the same URLs)', async () => {
    const org = smallOrg();
    for (let i = 0; i < 25; i++) {
      org.apiTokens.push(apiToken(`00Tbatch${String(i).padStart(12, '0')}`, `token ${i}`, IDS.svc));
    }
    okta = await startOrg(org);
    const tokens = org.apiTokens.map((t) => ({ id: String(t.id) }) as never);
    await collectApiTokenUsage(sswsClient(okta), tokens, logWindow(NOW, 90));
    const inOrder = logs(okta).map((r) => r.query.filter);
    okta.resetRequests();
    await collectApiTokenUsage(sswsClient(okta), [...tokens].reverse(), logWindow(NOW, 90));
    const reversed = logs(okta).map((r) => r.query.filter);
    expect(inOrder.length).toBeGreaterThan(1);
    expect(reversed.sort()).toEqual(inOrder.sort());
  });

  it('fails only the usage source when its query fails, keeping the token list', async () => {
    okta = await startOrg();
    // The only log query of this scan is the usage query.
    okta.fault({ route: '/api/v1/logs', fault: { kind: 'status', status: 500 } });
    const inventory = await collectInventory(sswsClient(okta), { ...COLLECT, sources: ['apiTokenUsage'] });
    expect(inventory.sources.apiTokens.status).toBe('complete');
    expect(inventory.sources.apiTokenUsage).toMatchObject({ status: 'failed', requiredScope: 'okta.logs.read' });
  });
});

describe('the demo org', () => {
  it("shows Workflows acting as erin.lee with no connection event, and Terraform's changes on Bob's token", async () => {
    okta = await startOrg(loadOrg('demo'));
    const inventory = await collectInventory(sswsClient(okta), COLLECT);
    expect(inventory.workflowsConnections.map((c) => [c.name, c.usage?.eventCount ?? 0])).toEqual(
      expect.arrayContaining([
        ['Okta (used by Workflows as erin.lee@acme.com)', 6],
        ['Okta – prod (Alice)', 3],
      ]),
    );
    expect(inventory.apiTokenUsage?.['00TBobTf3FalQ9nWyODo']).toMatchObject({
      eventCount: 14,
      ipAddresses: ['198.51.100.23'],
      userAgents: [expect.stringMatching(/^Terraform\/1\.9\.8 /)],
    });
    expect(inventory.apiTokenUsage?.['00TReportL6ClfIuwhG4']).toBeUndefined();
  });
});
