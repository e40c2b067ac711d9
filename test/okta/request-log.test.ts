import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FakeOkta } from '../../fake-okta/types';
import { collectInventory } from '../../lambda/okta/collect-inventory';
import { COLLECT, IDS, sswsClient, startOrg } from './fixtures';

// What the scanner asks Okta for on the small org, request by request.

describe('requests made for the small org', () => {
  let okta: FakeOkta;
  let requests: number;
  beforeAll(async () => {
    okta = await startOrg();
    const client = sswsClient(okta);
    await collectInventory(client, COLLECT);
    requests = client.stats.requests;
  });
  afterAll(() => okta.close());

  it('is the minimum the data needs', () => {
    const expected =
      1 + // api-tokens: one page
      1 + // network zones: one page
      1 + // agentPools: one page
      1 + // apps: one page of ACTIVE apps
      2 * 3 + // two provisioning apps: connection, features, users
      1 + // Workflows connection events
      1 + // Okta Workflows activity (user agent Azuqua)
      1 + // API token usage: one query for all the org's tokens
      3 + // provisioning: auth failures, failed deactivations, app updates
      1 + // agent registrations
      1 + // API token creations
      1 + // one search for the 5 referenced users
      1 + // getUser for the one the search did not return (404: deleted)
      4 * 2; // groups and roles of the 4 users found
    expect(okta.requests).toHaveLength(expected);
    expect(requests).toBe(expected);
    expect(expected).toBe(28);
  });

  it('never lists users without a search', () => {
    const lists = okta.requests.filter((r) => r.path === '/api/v1/users');
    expect(lists.length).toBeGreaterThan(0);
    expect(lists.every((r) => r.query.search)).toBe(true);
  });

  it('never queries the System Log without both since and until', () => {
    const logs = okta.requests.filter((r) => r.path === '/api/v1/logs');
    expect(logs).toHaveLength(8);
    for (const r of logs) {
      expect(r.query).toMatchObject({ since: '2026-08-29T02:00:00.000Z', until: '2026-11-27T02:00:00.000Z' });
      expect(r.query.filter).toBeTruthy();
      expect(r.query.limit).toBe('1000');
    }
  });

  it('lists apps filtered to ACTIVE on the server, 200 a page', () => {
    expect(okta.requests.find((r) => r.path === '/api/v1/apps')?.query).toMatchObject({
      filter: 'status eq "ACTIVE"',
      limit: '200',
    });
  });

  it('reads nothing about apps that do not provision or users nothing references', () => {
    const paths = okta.requests.map((r) => `${r.path}?${new URLSearchParams(r.query)}`);
    for (const id of [IDS.saml, IDS.oldScim, IDS.zed, IDS.erin, IDS.carol]) {
      expect(paths.filter((p) => p.includes(id))).toEqual([]);
    }
  });

  it('gets no 429 and makes no retry', () => {
    expect(okta.requests.every((r) => r.status !== 429 && r.status < 500)).toBe(true);
  });
});
