import { describe, expect, it } from 'vitest';
import { collectInventory } from '../../lambda/okta/collect-inventory';
import { apiToken, COLLECT, IDS, smallOrg, sswsClient, startOrg } from './fixtures';

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
});
