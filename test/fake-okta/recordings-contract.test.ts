import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadOrg, startFakeOkta } from '../../fake-okta/server';
import type { FakeOkta, Json } from '../../fake-okta/types';
import { itemsOf, type Recording, recordingsOf, successes } from '../recordings/recordings';
import { type Shape, shapeGaps, shapeOf } from './shape';
import { get, TEST_TOKEN } from './testing';

// The fake server answers the requests the scanner makes with the same fields and types as real
// Okta orgs did (test/data/okta-recordings): a field a recording has that the fake's answer lacks,
// or a field of another type, fails. The only exceptions are fields that depend on the org or the
// object (listed below with why); each must still be needed.

const TOLERATED: { kind: string; pattern: RegExp; why: string }[] = [
  {
    kind: 'users|app-users',
    pattern: /^\$\.profile\./,
    why: "profile attributes follow each org's user schema and each app's profile (custom, OIDC claim names)",
  },
  { kind: 'users', pattern: /^\$\.realmId$/, why: 'present in some orgs only' },
  { kind: 'users', pattern: /^\$\.transitioningToStatus$/, why: 'STAGED users only; the demo org has none' },
  { kind: 'users', pattern: /^\$\.credentials\.recovery_question/, why: 'users with a recovery question only' },
  { kind: 'users', pattern: /^\$\._links\.reactivate/, why: 'PROVISIONED users only; the demo org has none' },
  { kind: 'user-groups', pattern: /^\$\._links\.owners/, why: 'groups with owners only' },
  {
    kind: 'apps',
    pattern: /^\$\.(settings|credentials|licensing|universalLogout)\./,
    why: 'instance settings, credentials, licensing and universal logout differ by app type',
  },
  { kind: 'apps', pattern: /^\$\.visibility\.appLinks\./, why: 'link names differ by app type (login, mc, …)' },
  { kind: 'apps', pattern: /^\$\.licensing$/, why: 'apps that count seats only' },
  { kind: 'apps', pattern: /^\$\.profile(\.|$)/, why: 'a custom app profile, set by some apps only' },
  {
    kind: 'apps',
    pattern: /^\$\._links\.clientCredentials/,
    why: 'OIDC apps only; the demo org has none',
  },
];

let okta: FakeOkta;
const toleratedSeen = new Set<RegExp>();

beforeAll(async () => {
  okta = await startFakeOkta({
    org: loadOrg('demo'),
    credentials: { apiTokens: [{ token: TEST_TOKEN }, { token: 'users-only', scopes: ['okta.users.read'] }] },
  });
});
afterAll(async () => {
  await okta?.close();
});

/** The fake's answers to `paths`, list items and single objects alike. */
async function fakeAnswers(paths: string[], authorization?: string): Promise<unknown[]> {
  const out: unknown[] = [];
  for (const path of paths) {
    const res = await get(okta, path, authorization);
    out.push(...(Array.isArray(res.body) ? res.body : [res.body]));
  }
  return out;
}

function gaps(kind: string, recorded: Shape, served: Shape): string[] {
  return shapeGaps(recorded, served).filter((gap) => {
    const tolerated = TOLERATED.find((t) => t.kind.split('|').includes(kind) && t.pattern.test(gap.split(':')[0]));
    if (tolerated) toleratedSeen.add(tolerated.pattern);
    return !tolerated;
  });
}

const bodies = (recordings: Recording[]): Json[] => recordings.flatMap(itemsOf);
const isList = (r: Recording): boolean => Array.isArray(r.response.body);

describe('the fake server answers with the fields and types real Okta orgs sent', () => {
  it('api-tokens: GET /api/v1/api-tokens and /api-tokens/{id}', async () => {
    const ids = okta.org.apiTokens.map((t) => String(t.id));
    const served = await fakeAnswers(['/api/v1/api-tokens', ...ids.map((id) => `/api/v1/api-tokens/${id}`)]);
    expect(gaps('api-tokens', shapeOf(bodies(successes('api-tokens'))), shapeOf(served))).toEqual([]);
  });

  it('agent-pools: the agents of GET /api/v1/agentPools (only pool updates were recorded)', async () => {
    const served = (await fakeAnswers(['/api/v1/agentPools'])).flatMap((pool) => (pool as Json).agents as Json[]);
    const recorded = bodies(successes('agent-pools')).flatMap((update) => update.agents as Json[]);
    expect(gaps('agent-pools', shapeOf(recorded), shapeOf(served))).toEqual([]);
  });

  it('apps: GET /api/v1/apps and /apps/{id}', async () => {
    const ids = okta.org.apps.map((a) => String(a.app.id));
    const served = await fakeAnswers(['/api/v1/apps?limit=200', ...ids.map((id) => `/api/v1/apps/${id}`)]);
    expect(gaps('apps', shapeOf(bodies(successes('apps'))), shapeOf(served))).toEqual([]);
  });

  it('the AD agent pool id is the id of an active_directory app with signOnMode null, as recorded', async () => {
    const apps = (await fakeAnswers(['/api/v1/apps?limit=200'])) as Json[];
    for (const pool of okta.org.agentPools.filter((p) => p.type === 'AD')) {
      expect(apps.find((a) => a.id === pool.id)).toMatchObject({ name: 'active_directory', signOnMode: null });
    }
  });

  it('app-connections: GET /api/v1/apps/{id}/connections/default', async () => {
    const ids = okta.org.apps.filter((a) => a.connection).map((a) => String(a.app.id));
    const served = await fakeAnswers(ids.map((id) => `/api/v1/apps/${id}/connections/default`));
    expect(gaps('app-connections', shapeOf(bodies(successes('app-connections'))), shapeOf(served))).toEqual([]);
  });

  it('app-features: each feature of GET /api/v1/apps/{id}/features that was recorded by name', async () => {
    const ids = okta.org.apps.filter((a) => a.features).map((a) => String(a.app.id));
    const served = (await fakeAnswers(ids.map((id) => `/api/v1/apps/${id}/features`))) as Json[];
    const recorded = bodies(successes('app-features'));
    const names = [...new Set(recorded.map((f) => f.name))].filter((name) => served.some((f) => f.name === name));
    expect(names).toContain('USER_PROVISIONING');
    for (const name of names) {
      const shape = (features: Json[]): Shape => shapeOf(features.filter((f) => f.name === name));
      expect(gaps('app-features', shape(recorded), shape(served)), String(name)).toEqual([]);
    }
  });

  it('app-users: GET /api/v1/apps/{id}/users', async () => {
    const ids = okta.org.apps.filter((a) => (a.users ?? []).length > 0).map((a) => String(a.app.id));
    const served = await fakeAnswers(ids.map((id) => `/api/v1/apps/${id}/users`));
    expect(gaps('app-users', shapeOf(bodies(successes('app-users'))), shapeOf(served))).toEqual([]);
  });

  it('users: a search (list) and GET /api/v1/users/{id} (one user, with its lifecycle links)', async () => {
    const ids = okta.org.users.map((u) => String(u.id));
    const search = `/api/v1/users?search=${encodeURIComponent('status eq "ACTIVE" or status eq "DEPROVISIONED"')}`;
    const recorded = successes('users');
    const lists = gaps('users', shapeOf(bodies(recorded.filter(isList))), shapeOf(await fakeAnswers([search])));
    const singles = await fakeAnswers(ids.map((id) => `/api/v1/users/${id}`));
    const one = gaps('users', shapeOf(bodies(recorded.filter((r) => !isList(r)))), shapeOf(singles));
    expect({ lists, one }).toEqual({ lists: [], one: [] });
  });

  it('user-roles: GET /api/v1/users/{id}/roles', async () => {
    const ids = okta.org.users.map((u) => String(u.id));
    const served = await fakeAnswers(ids.map((id) => `/api/v1/users/${id}/roles`));
    expect(gaps('user-roles', shapeOf(bodies(successes('user-roles'))), shapeOf(served))).toEqual([]);
  });

  it('user-groups: GET /api/v1/users/{id}/groups', async () => {
    const ids = okta.org.users.map((u) => String(u.id));
    const served = await fakeAnswers(ids.map((id) => `/api/v1/users/${id}/groups`));
    expect(gaps('user-groups', shapeOf(bodies(successes('user-groups'))), shapeOf(served))).toEqual([]);
  });

  it('errors: 400, 401, 403 and 404 bodies', async () => {
    const served = [
      ...(await fakeAnswers([`/api/v1/users?search=${encodeURIComponent('nonsense')}`, '/api/v1/users/00uNobody'])),
      ...(await fakeAnswers(['/api/v1/users'], '')),
      ...(await fakeAnswers(['/api/v1/apps'], 'SSWS users-only')),
    ];
    const recorded = recordingsOf('errors').map((r) => r.response.body);
    expect(gaps('errors', shapeOf(recorded), shapeOf(served))).toEqual([]);
  });

  it('needs every tolerated difference (remove one that no longer occurs)', () => {
    expect(TOLERATED.filter((t) => !toleratedSeen.has(t.pattern)).map((t) => `${t.kind}: ${t.why}`)).toEqual([]);
  });
});
