import { describe, expect, it } from 'vitest';
import { collectInventory } from '../../lambda/okta/collect-inventory';
import { apiToken, COLLECT, IDS, smallOrg, sswsClient, startOrg, user } from './fixtures';

// When each read starts: a large org must not read one source alone before the others begin.

describe('the order of reads', () => {
  it('starts the other sources once the first API token page is answered, not after the last one', async () => {
    const org = smallOrg();
    for (let i = 0; i < 60; i++) {
      org.apiTokens.push(apiToken(`00Tbulk${String(i).padStart(13, '0')}`, `bulk ${i}`, IDS.svc));
    }
    const okta = await startOrg(org);
    try {
      const inventory = await collectInventory(sswsClient(okta), COLLECT);
      expect(inventory.apiTokens).toHaveLength(64);
      const paths = okta.requests.map((r) => r.path);
      const tokenPages = paths.flatMap((p, i) => (p === '/api/v1/api-tokens' ? [i] : []));
      expect(tokenPages.length).toBeGreaterThanOrEqual(4);
      expect(paths[0]).toBe('/api/v1/api-tokens');
      const firstOther = paths.findIndex((p) => p !== '/api/v1/api-tokens');
      expect(firstOther).toBeLessThan(tokenPages[tokenPages.length - 1]);
    } finally {
      await okta.close();
    }
  });

  it('reads the owners the tokens name while the apps are still being read', async () => {
    const org = smallOrg();
    for (let i = 0; i < 40; i++) {
      const id = `00uowner${String(i).padStart(12, '0')}`;
      org.users.push(user(id, `owner${i}@example.com`));
      org.apiTokens.push(apiToken(`00Towned${String(i).padStart(12, '0')}`, `owned ${i}`, id));
    }
    const okta = await startOrg(org);
    // The app list answers slowly: every per-app read comes after it.
    okta.fault({ route: /^\/api\/v1\/apps$/, fault: { kind: 'delay', ms: 400 }, times: 1 });
    try {
      const inventory = await collectInventory(sswsClient(okta), COLLECT);
      expect(inventory.users[IDS.svc]?.status).toBe('ACTIVE');
      const paths = okta.requests.map((r) => r.path);
      const firstSearch = okta.requests.findIndex((r) => r.path === '/api/v1/users' && r.query.search);
      const firstAppRead = paths.findIndex((p) => p.startsWith('/api/v1/apps/'));
      expect(firstSearch).toBeGreaterThanOrEqual(0);
      expect(firstSearch).toBeLessThan(firstAppRead);
      // The app users in sync error are still read (their status only), after the apps.
      const lastSearch = okta.requests.findLastIndex((r) => r.path === '/api/v1/users' && r.query.search);
      expect(lastSearch).toBeGreaterThan(firstAppRead);
    } finally {
      await okta.close();
    }
  });
});
