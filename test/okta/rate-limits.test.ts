import { afterEach, describe, expect, it } from 'vitest';
import type { FakeOkta } from '../../fake-okta/types';
import { collectInventory } from '../../lambda/okta/collect-inventory';
import { COLLECT, smallOrg, sswsClient, startOrg } from './fixtures';

let okta: FakeOkta | null = null;
afterEach(async () => {
  await okta?.close();
  okta = null;
});

const realSleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

describe('pacing by rate-limit headers', () => {
  it('waits for the window to reset when X-Rate-Limit-Remaining runs low, instead of hitting 429', async () => {
    const org = smallOrg();
    // Six more provisioning apps: 1 list + 8 apps × 3 reads = 25 requests in a bucket of 15 a window.
    for (let i = 0; i < 6; i++) {
      org.apps.push({
        app: {
          id: `0oaextra00000000000${i}`,
          name: `extra_${i}`,
          label: `Extra ${i}`,
          status: 'ACTIVE',
          signOnMode: 'SAML_2_0',
          features: ['PUSH_NEW_USERS'],
        },
        users: [],
      });
    }
    okta = await startOrg(org, { rateLimits: { apps: 15 }, rateLimitWindowMs: 1_000 });
    const waits: number[] = [];
    const client = sswsClient(okta, {
      sleep: (ms) => {
        waits.push(ms);
        return realSleep(ms);
      },
    });
    const inventory = await collectInventory(client, { ...COLLECT, sources: ['provisioning'] });
    expect(inventory.sources.provisioning.status).toBe('complete');
    expect(inventory.provisioningApps).toHaveLength(8);
    expect(okta.requests.filter((r) => r.status === 429)).toEqual([]);
    expect(client.stats.throttled).toBe(0);
    expect(waits.length).toBeGreaterThan(0);
  });

  it('never has more than 5 requests in flight, so a low org concurrency limit is not hit', async () => {
    okta = await startOrg(smallOrg(), { concurrencyLimit: 5, latencyMs: 20 });
    const client = sswsClient(okta);
    const inventory = await collectInventory(client, COLLECT);
    expect(Object.values(inventory.sources).every((s) => s.status === 'complete')).toBe(true);
    expect(client.stats.throttled).toBe(0);
  });
});
