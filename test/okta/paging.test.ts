import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import type { FakeOkta } from '../../fake-okta/types';
import { collectInventory } from '../../lambda/okta/collect-inventory';
import { apiToken, appUser, COLLECT, IDS, logEvent, smallOrg, sswsClient, startOrg, user } from './fixtures';

let okta: FakeOkta | null = null;
let server: Server | null = null;
afterEach(async () => {
  await okta?.close();
  okta = null;
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  server = null;
});

const pad = (n: number): string => String(n).padStart(4, '0');

describe('paging at Okta default page sizes', () => {
  it('reads 45 API tokens over three pages of 20', async () => {
    const org = smallOrg();
    org.apiTokens = Array.from({ length: 45 }, (_, i) => apiToken(`00Tpage${pad(i)}`, `token ${i}`, IDS.svc));
    okta = await startOrg(org);
    const inventory = await collectInventory(sswsClient(okta), { ...COLLECT, sources: ['apiTokens'] });
    expect(inventory.apiTokens).toHaveLength(45);
    expect(new Set(inventory.apiTokens.map((t) => t.id)).size).toBe(45);
    expect(okta.requests.filter((r) => r.path === '/api/v1/api-tokens')).toHaveLength(3);
  });

  it('reads 250 token owners in batched searches of at most 20 ids, never listing all users', async () => {
    const org = smallOrg();
    const ids = Array.from({ length: 250 }, (_, i) => `00uowner${pad(i)}00000000`);
    org.users.push(...ids.map((id, i) => user(id, `owner${i}@example.com`, i % 10 === 0 ? 'DEPROVISIONED' : 'ACTIVE')));
    org.apiTokens = ids.map((id, i) => apiToken(`00Towner${pad(i)}`, `token ${i}`, id));
    okta = await startOrg(org);
    const inventory = await collectInventory(sswsClient(okta), { ...COLLECT, sources: ['apiTokens', 'owners'] });
    expect(Object.keys(inventory.users)).toHaveLength(250);
    expect(Object.values(inventory.users).filter((u) => u.status === 'DEPROVISIONED')).toHaveLength(25);
    const searches = okta.requests.filter((r) => r.path === '/api/v1/users');
    expect(searches).toHaveLength(13);
    expect(searches.every((r) => (r.query.search?.match(/id eq /g) ?? []).length <= 20)).toBe(true);
    expect(okta.requests.filter((r) => r.path.startsWith('/api/v1/users/'))).toEqual([]);
  });

  it('reads a System Log query over more than one page of 1000', async () => {
    const org = smallOrg();
    org.logs = Array.from({ length: 1_200 }, (_, i) =>
      logEvent(
        `tk-${pad(i)}`,
        'system.api_token.create',
        new Date(Date.parse(COLLECT.now.toISOString()) - (i + 1) * 60_000).toISOString(),
        { id: IDS.svc, type: 'User' },
        [{ id: `00Tlog${pad(i)}`, type: 'Token' }],
      ),
    );
    okta = await startOrg(org);
    const inventory = await collectInventory(sswsClient(okta), { ...COLLECT, sources: ['apiTokenEvents'] });
    expect(Object.keys(inventory.apiTokenCreations)).toHaveLength(1_200);
    expect(okta.requests.filter((r) => r.path === '/api/v1/logs')).toHaveLength(2);
  });

  it("finds app users in sync error on the second page of an app's users", async () => {
    const org = smallOrg();
    const o2o = org.apps.find((a) => a.app.id === IDS.o2o)!;
    o2o.users = Array.from({ length: 600 }, (_, i) =>
      appUser(`00uappuser${pad(i)}000000`, i >= 550 && i % 10 === 0 ? 'ERROR' : 'SYNCHRONIZED', `user${i}`),
    );
    okta = await startOrg(org);
    const inventory = await collectInventory(sswsClient(okta), { ...COLLECT, sources: ['provisioning'] });
    expect(inventory.provisioningApps.find((a) => a.id === IDS.o2o)?.usersInError).toHaveLength(5);
    expect(okta.requests.filter((r) => r.path === `/api/v1/apps/${IDS.o2o}/users`)).toHaveLength(2);
  });
});

/** A stand-in Okta that answers /api/v1/api-tokens with whatever paging the test wants. */
async function pagingServer(page: (url: URL, base: string, count: number) => { body: unknown[]; next: string | null }) {
  let count = 0;
  server = createServer((req, res) => {
    const base = `http://127.0.0.1:${(server!.address() as AddressInfo).port}`;
    const url = new URL(req.url ?? '/', base);
    const { body, next } = page(url, base, count++);
    const links = [`<${url.href}>; rel="self"`, ...(next ? [`<${next}>; rel="next"`] : [])];
    res.writeHead(200, { 'content-type': 'application/json', link: links.join(', ') });
    res.end(JSON.stringify(body));
  });
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { url, requests: () => count };
}

const tokenJson = (id: string) => apiToken(id, id, IDS.svc);

describe('paging guards', () => {
  it('stops with a clear error when a next link points back to a page already read', async () => {
    const fake = await pagingServer((url, base) =>
      url.searchParams.get('after') === 'p2'
        ? { body: [tokenJson('00Tpage2')], next: `${base}/api/v1/api-tokens` }
        : { body: [tokenJson('00Tpage1')], next: `${base}/api/v1/api-tokens?after=p2` },
    );
    const inventory = await collectInventory(sswsClient({ url: fake.url } as FakeOkta), {
      ...COLLECT,
      sources: ['apiTokens'],
    });
    expect(inventory.sources.apiTokens).toEqual({
      status: 'failed',
      reason: "Okta's next link for API tokens points back to a page already read; stopped reading",
      requiredScope: 'okta.apiTokens.read',
    });
    expect(fake.requests()).toBe(2);
  });

  it('stops when a new cursor keeps serving items already read', async () => {
    const fake = await pagingServer((_url, base, count) => ({
      body: [tokenJson('00Tsame')],
      next: `${base}/api/v1/api-tokens?after=c${count + 1}`,
    }));
    const inventory = await collectInventory(sswsClient({ url: fake.url } as FakeOkta), {
      ...COLLECT,
      sources: ['apiTokens'],
    });
    expect(inventory.sources.apiTokens).toMatchObject({
      reason: "Okta's next link for API tokens led back to items already read; stopped reading",
    });
    expect(fake.requests()).toBe(2);
  });

  it('stops on endless empty pages that still carry a next link', async () => {
    const fake = await pagingServer((_url, base, count) => ({
      body: [],
      next: `${base}/api/v1/api-tokens?after=e${count + 1}`,
    }));
    const inventory = await collectInventory(sswsClient({ url: fake.url } as FakeOkta), {
      ...COLLECT,
      sources: ['apiTokens'],
    });
    expect(inventory.sources.apiTokens).toMatchObject({
      reason: 'Okta kept answering empty pages with a next link for API tokens; stopped reading',
    });
    expect(fake.requests()).toBe(3);
  });

  it('skips an empty page followed by a real one', async () => {
    const fake = await pagingServer((url, base) =>
      url.searchParams.get('after') === 'p2'
        ? { body: [tokenJson('00Tlast')], next: null }
        : { body: [], next: `${base}/api/v1/api-tokens?after=p2` },
    );
    const inventory = await collectInventory(sswsClient({ url: fake.url } as FakeOkta), {
      ...COLLECT,
      sources: ['apiTokens'],
    });
    expect(inventory.apiTokens.map((t) => t.id)).toEqual(['00Tlast']);
  });
});
