import { Client } from '@okta/okta-sdk-nodejs';
import { afterEach, describe, expect, it } from 'vitest';
import { loadOrg, startFakeOkta } from '../../fake-okta/server';
import type { FakeOkta, Json } from '../../fake-okta/types';
import { byLogin, get, getAllPages, nextLink, startDemo, TEST_TOKEN } from './testing';

let okta: FakeOkta | undefined;
afterEach(async () => {
  await okta?.close();
  okta = undefined;
});

const q = (s: string): string => encodeURIComponent(s);
const UNTIL = '2026-11-27T02:00:00.000Z';
const SINCE = '2026-08-29T02:00:00.000Z';
const window = (extra = ''): string => `/api/v1/logs?since=${q(SINCE)}&until=${q(UNTIL)}${extra}`;

describe('bounded System Log queries (since and until)', () => {
  it('returns only events published in [since, until), oldest first, with no next link on the last page', async () => {
    okta = await startDemo();
    const res = await get(okta, window());
    const published = res.body.map((e: Json) => String(e.published));
    expect(published.length).toBeGreaterThan(10);
    expect(published.every((p: string) => p >= SINCE && p < UNTIL)).toBe(true);
    expect(published).toEqual([...published].sort());
    expect(nextLink(res.headers.get('link'))).toBeNull();
    const outside = okta.org.logs.filter((e) => String(e.published) < SINCE || String(e.published) >= UNTIL);
    expect(outside.length).toBeGreaterThanOrEqual(2);
  });

  it('sorts newest first with sortOrder=DESCENDING', async () => {
    okta = await startDemo();
    const published = (await get(okta, window('&sortOrder=DESCENDING'))).body.map((e: Json) => String(e.published));
    expect(published).toEqual([...published].sort().reverse());
  });

  it('pages a bounded query and ends', async () => {
    okta = await startDemo();
    const all = (await get(okta, window())).body as Json[];
    const { items, pages } = await getAllPages(okta, window('&limit=7'));
    expect(items.map((e) => e.uuid)).toEqual(all.map((e) => e.uuid));
    expect(pages).toBe(Math.ceil(all.length / 7));
  });

  it('refuses a since more than 180 days before until with 400 E0000001', async () => {
    okta = await startDemo();
    const res = await get(okta, `/api/v1/logs?since=${q('2026-05-01T00:00:00.000Z')}&until=${q(UNTIL)}`);
    expect(res.status).toBe(400);
    expect(res.body.errorCode).toBe('E0000001');
  });

  it('ends when the real SDK iterates a bounded query', async () => {
    okta = await startDemo();
    const client = new Client({ orgUrl: okta.url, token: TEST_TOKEN, cacheMiddleware: null });
    let count = 0;
    const events = await client.systemLogApi.listLogEvents({ since: SINCE, until: UNTIL, limit: 10 });
    for await (const event of events) if (event) count++;
    expect(count).toBe((await get(okta, window())).body.length);
  });
});

describe('polling System Log queries (no until)', () => {
  it('always has a next link, even on an empty page, so unbounded clients never finish', async () => {
    okta = await startDemo();
    let path = `/api/v1/logs?since=${q(new Date(Date.now() - 3 * 86_400_000).toISOString())}&limit=1000`;
    for (let i = 0; i < 3; i++) {
      const res = await get(okta, path);
      expect(res.status).toBe(200);
      const next = nextLink(res.headers.get('link'));
      expect(next).not.toBeNull();
      path = next!.slice(okta.url.length);
    }
    expect((await get(okta, path)).body).toEqual([]);
  });
});

describe('System Log filter', () => {
  const types = async (filter: string): Promise<string[]> => {
    const res = await get(okta!, window(`&filter=${q(filter)}`));
    expect(res.status, filter).toBe(200);
    return (res.body as Json[]).map((e) => String(e.eventType));
  };

  it('selects by eventType eq, joined by or', async () => {
    okta = await startDemo();
    const got = await types(
      'eventType eq "workflows.user.connection.create" or eventType eq "workflows.user.connection.delete"',
    );
    expect(new Set(got)).toEqual(new Set(['workflows.user.connection.create', 'workflows.user.connection.delete']));
  });

  it('selects by eventType sw "prefix"', async () => {
    okta = await startDemo();
    const got = await types('eventType sw "workflows.user.connection."');
    expect(got.length).toBeGreaterThanOrEqual(8);
    expect(got.every((t) => t.startsWith('workflows.user.connection.'))).toBe(true);
  });

  it('combines parentheses, or and outcome.result eq "FAILURE" with and', async () => {
    okta = await startDemo();
    const got = await types(
      '(eventType eq "application.provision.user.deactivate" or eventType eq "application.integration.authentication_failure") and outcome.result eq "FAILURE"',
    );
    expect(got.sort()).toEqual([
      'application.integration.authentication_failure',
      'application.integration.authentication_failure',
      'application.provision.user.deactivate',
    ]);
  });

  it('selects by actor.id and by target.id (any target)', async () => {
    okta = await startDemo();
    const frank = String(byLogin(okta, 'frank.miller@acme.com').id);
    const asActor = (await get(okta, window(`&filter=${q(`actor.id eq "${frank}"`)}`))).body as Json[];
    expect(asActor.length).toBeGreaterThan(0);
    expect(asActor.every((e) => (e.actor as Json).id === frank)).toBe(true);
    const asTarget = (await get(okta, window(`&filter=${q(`target.id eq "${frank}"`)}`))).body as Json[];
    expect(asTarget.map((e) => e.eventType)).toContain('application.provision.user.deactivate');
  });

  it('refuses a malformed filter, or one on published, with 400 E0000031', async () => {
    okta = await startDemo();
    for (const bad of [
      'eventType eq',
      'eventType eq "x" and',
      '(eventType eq "x"',
      'eventType equals "x"',
      'published gt "2026-01-01"',
    ]) {
      const res = await get(okta, window(`&filter=${q(bad)}`));
      expect(res.status, bad).toBe(400);
      expect(res.body.errorCode, bad).toBe('E0000031');
    }
  });
});

describe('a log clock (logClock)', () => {
  it('keeps only the 90 days before the clock, and nothing after it, whatever the query asks', async () => {
    const clock = Date.parse('2026-10-20T00:00:00.000Z');
    okta = await startFakeOkta({
      org: loadOrg('demo'),
      credentials: { apiTokens: [{ token: TEST_TOKEN }] },
      logClock: () => clock,
    });
    const wide = `/api/v1/logs?since=${q('2026-06-15T00:00:00.000Z')}&until=${q(UNTIL)}&limit=1000`;
    const published = (await get(okta, wide)).body.map((e: Json) => Date.parse(String(e.published)));
    expect(published.length).toBeGreaterThan(0);
    expect(published.every((p: number) => p >= clock - 90 * 86_400_000 && p <= clock)).toBe(true);
    // The fixture holds events on both sides, so the clock did hide some.
    const fixture = okta.org.logs.map((e) => Date.parse(String(e.published)));
    expect(fixture.some((p) => p > clock)).toBe(true);
    expect(fixture.some((p) => p < clock - 90 * 86_400_000 && p >= Date.parse('2026-06-15T00:00:00.000Z'))).toBe(true);
  });
});
