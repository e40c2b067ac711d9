import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Json } from '../../../fake-okta/types';
import type { NetworkZone } from '../../../lambda/domain/inventory';
import { collectNetworkZones } from '../../../lambda/okta/collectors/network-zones';
import { smallOrg, sswsClient, startOrg } from '../fixtures';

// Every zone recorded from a real org (test/data/okta-recordings/zones/), served by the fake
// Okta server and read through the SDK: IP zones with null gateways, DYNAMIC zones with a plain
// location list, DYNAMIC_V2 zones with include/exclude lists.

const DIR = join(__dirname, '../../data/okta-recordings/zones');
const recorded: Json[] = readdirSync(DIR)
  .sort()
  .map((file) => (JSON.parse(readFileSync(join(DIR, file), 'utf8')) as { response: { body: Json } }).response.body);
// The recordings hold the same zone before and after an update; a list holds each id once.
const zones = [...new Map(recorded.map((z) => [String(z.id), z])).values()];

async function collect(serve: Json[]): Promise<{ zones: NetworkZone[]; pages: number }> {
  const org = smallOrg();
  org.zones = serve.map(({ _links, ...zone }) => zone);
  const okta = await startOrg(org);
  try {
    const result = await collectNetworkZones(sswsClient(okta));
    return { zones: result, pages: okta.requests.filter((r) => r.path === '/api/v1/zones').length };
  } finally {
    await okta.close();
  }
}

describe('collectNetworkZones', () => {
  it('reads every recorded zone shape', async () => {
    const { zones: read } = await collect(zones);
    expect(read.map((z) => z.id).sort()).toEqual(zones.map((z) => String(z.id)).sort());
    const byId = new Map(read.map((z) => [z.id, z]));

    const blocked = byId.get('nzo1x48tm4y10Y5h01d8');
    expect(blocked).toMatchObject({ type: 'IP', usage: 'BLOCKLIST', system: true, gateways: null, proxies: null });

    const ip = byId.get('nzoyuld84sk8JlFhV1d7');
    expect(ip).toMatchObject({
      type: 'IP',
      status: 'ACTIVE',
      gateways: ['2.3.4.5-2.3.4.15', '1.2.3.4/24'],
      proxies: ['2.2.3.4/24', '3.3.4.5-3.3.4.15'],
    });

    // DYNAMIC: a plain list of locations (region null means the whole country) and of ASNs.
    const dynamic = byId.get('nzov4z1ex9Ap18QPG1d7');
    expect(dynamic).toMatchObject({
      type: 'DYNAMIC',
      status: 'INACTIVE',
      locations: { include: ['UA-26', 'AF-BGL', 'US'], exclude: [] },
      asns: { include: ['2232'], exclude: [] },
      proxyType: '',
    });

    const v2 = byId.get('nzov4z0y5vj1IlGGo1d7');
    expect(v2).toMatchObject({
      type: 'DYNAMIC_V2',
      locations: { include: [], exclude: ['BE-VAN', 'CN-BJ'] },
      ipServiceCategories: { include: ['SYMANTEC_VPN', 'GOOGLE_VPN', 'TRENDMICRO_VPN'], exclude: [] },
      asns: { include: [], exclude: [] },
    });
  });

  it('follows the pages of a long zone list', async () => {
    const many: Json[] = Array.from({ length: 450 }, (_, i) => ({
      type: 'IP',
      id: `nzoMany${String(i).padStart(13, '0')}`,
      name: `zone ${i}`,
      status: 'ACTIVE',
      usage: 'POLICY',
      system: false,
      gateways: [{ type: 'CIDR', value: `10.${i % 256}.0.0/16` }],
      proxies: null,
    }));
    const { zones: read, pages } = await collect(many);
    expect(read).toHaveLength(450);
    expect(pages).toBe(3);
  });
});
