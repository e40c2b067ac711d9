import { afterEach, describe, expect, it } from 'vitest';
import type { FakeOkta, Json } from '../../fake-okta/types';
import { byLogin, get, getAllPages, nextLink, startDemo } from './testing';

let okta: FakeOkta | undefined;
afterEach(async () => {
  await okta?.close();
  okta = undefined;
});

const q = (s: string): string => encodeURIComponent(s);
const logins = (users: Json[]): string[] => users.map((u) => String((u.profile as Json).login)).sort();

describe('users', () => {
  it('leaves DEPROVISIONED users out of a plain list but finds them by search', async () => {
    okta = await startDemo();
    const plain = await get(okta, '/api/v1/users');
    expect(plain.body.some((u: Json) => u.status === 'DEPROVISIONED')).toBe(false);
    const gone = await get(okta, `/api/v1/users?search=${q('status eq "DEPROVISIONED"')}`);
    expect(logins(gone.body)).toEqual(['frank.miller@acme.com', 'gina.ross@acme.com']);
  });

  it('looks users up in batches with search "id eq … or id eq …", including deactivated ones', async () => {
    okta = await startDemo();
    const ids = [byLogin(okta, 'alice.nguyen@acme.com').id, byLogin(okta, 'frank.miller@acme.com').id];
    const res = await get(okta, `/api/v1/users?search=${q(ids.map((id) => `id eq "${String(id)}"`).join(' or '))}`);
    expect(res.body.map((u: Json) => u.id).sort()).toEqual([...ids].sort());
  });

  it('supports profile.login eq in search and filter, and and/or in filter', async () => {
    okta = await startDemo();
    const search = await get(okta, `/api/v1/users?search=${q('profile.login eq "SVC-TERRAFORM@acme.com"')}`);
    expect(logins(search.body)).toEqual(['svc-terraform@acme.com']);
    const filter = await get(
      okta,
      `/api/v1/users?filter=${q('status eq "DEPROVISIONED" and (profile.login eq "gina.ross@acme.com" or profile.login eq "alice.nguyen@acme.com")')}`,
    );
    expect(logins(filter.body)).toEqual(['gina.ross@acme.com']);
  });

  it('refuses filter attributes Okta does not filter on, and ne in search, with 400 E0000031', async () => {
    okta = await startDemo();
    const badFilter = await get(okta, `/api/v1/users?filter=${q('profile.userType eq "Service"')}`);
    expect(badFilter.status).toBe(400);
    expect(badFilter.body.errorCode).toBe('E0000031');
    expect((await get(okta, `/api/v1/users?search=${q('status ne "ACTIVE"')}`)).status).toBe(400);
    expect((await get(okta, `/api/v1/users?search=${q('status eq ACTIVE')}`)).status).toBe(400);
  });

  it('pages users with limit, capped at 200, through Link headers', async () => {
    okta = await startDemo();
    const { items, pages } = await getAllPages(okta, '/api/v1/users?limit=4');
    expect(pages).toBe(3);
    expect(items).toHaveLength(12);
    const capped = await get(okta, '/api/v1/users?limit=1000');
    expect(capped.headers.get('link')).toContain('rel="self"');
    expect(nextLink(capped.headers.get('link'))).toBeNull();
  });

  it('reads one user by id, by login or by login short name, DEPROVISIONED included', async () => {
    okta = await startDemo();
    const frank = byLogin(okta, 'frank.miller@acme.com');
    for (const key of [String(frank.id), 'frank.miller@acme.com', 'frank.miller']) {
      const res = await get(okta, `/api/v1/users/${q(key)}`);
      expect(res.status, key).toBe(200);
      expect(res.body).toMatchObject({ id: frank.id, status: 'DEPROVISIONED' });
      expect(res.body._links.self.href).toBe(`${okta.url}/api/v1/users/${String(frank.id)}`);
    }
  });

  it('lists a user’s groups', async () => {
    okta = await startDemo();
    const hr = byLogin(okta, 'hr-connector@acme.com');
    const res = await get(okta, `/api/v1/users/${String(hr.id)}/groups`);
    expect(res.body.map((g: Json) => (g.profile as Json).name).sort()).toEqual(['Everyone', 'Service Accounts']);
  });
});

describe('roles', () => {
  it('includes roles inherited through a group as assignmentType GROUP with the group as assignee', async () => {
    okta = await startDemo();
    const bob = byLogin(okta, 'bob.martinez@acme.com');
    const admins = okta.org.groups.find((g) => g.profile.name === 'Okta Admins')!;
    const res = await get(okta, `/api/v1/users/${String(bob.id)}/roles`);
    expect(res.body).toEqual([
      expect.objectContaining({
        type: 'SUPER_ADMIN',
        status: 'ACTIVE',
        assignmentType: 'GROUP',
        _links: { assignee: { href: `${okta.url}/api/v1/groups/${admins.id}` } },
      }),
    ]);
  });

  it('lists direct roles as assignmentType USER with the user as assignee', async () => {
    okta = await startDemo();
    const erin = byLogin(okta, 'erin.lee@acme.com');
    const res = await get(okta, `/api/v1/users/${String(erin.id)}/roles`);
    expect(res.body.map((r: Json) => r.type).sort()).toEqual(['APP_ADMIN', 'HELP_DESK_ADMIN']);
    expect(res.body.every((r: Json) => r.assignmentType === 'USER')).toBe(true);
    expect(res.body[0]._links.assignee.href).toBe(`${okta.url}/api/v1/users/${String(erin.id)}`);
  });

  it('answers 404 for the roles of a user that does not exist', async () => {
    okta = await startDemo();
    expect((await get(okta, '/api/v1/users/00uGone/roles')).body.errorCode).toBe('E0000007');
  });
});

describe('groups', () => {
  it('finds a group by name with q and with search, and lists its members', async () => {
    okta = await startDemo();
    const byQ = await get(okta, '/api/v1/groups?q=Service');
    expect(byQ.body.map((g: Json) => (g.profile as Json).name)).toEqual(['Service Accounts']);
    const bySearch = await get(okta, `/api/v1/groups?search=${q('profile.name eq "Service Accounts"')}`);
    expect(bySearch.body).toHaveLength(1);
    const members = await get(okta, `/api/v1/groups/${String(bySearch.body[0].id)}/users`);
    expect(logins(members.body)).toEqual(['hr-connector@acme.com', 'svc-okta-integrations@acme.com']);
  });

  it('pages group members at 1000 by default', async () => {
    okta = await startDemo();
    const everyone = okta.org.groups.find((g) => g.profile.name === 'Everyone')!;
    const many = Array.from({ length: 1005 }, (_, i) => ({
      id: `00uMany${String(i).padStart(13, '0')}`,
      status: 'ACTIVE',
      profile: { login: `user${i}@acme.com` },
    }));
    okta.org.users.push(...many);
    everyone.members.push(...many.map((u) => u.id));
    const first = await get(okta, `/api/v1/groups/${everyone.id}/users`);
    expect(first.body).toHaveLength(1000);
    expect(nextLink(first.headers.get('link'))).toContain('limit=1000');
  });
});

describe('apps', () => {
  it('filters apps with status eq "ACTIVE" and name eq, joined by and', async () => {
    okta = await startDemo();
    const active = await get(okta, `/api/v1/apps?filter=${q('status eq "ACTIVE"')}`);
    expect(active.body.some((a: Json) => a.status !== 'ACTIVE')).toBe(false);
    expect(active.body).toHaveLength(okta.org.apps.length - 1);
    const org2org = await get(okta, `/api/v1/apps?filter=${q('status eq "ACTIVE" and name eq "okta_org2org"')}`);
    expect(org2org.body.map((a: Json) => a.label).sort()).toEqual([
      'Acme APAC (Org2Org)',
      'Acme EU (Org2Org)',
      'Acme LATAM (Org2Org, import only)',
      'Acme Partner Portal (Org2Org, sign-in only)',
    ]);
    expect((await get(okta, `/api/v1/apps?filter=${q('label eq "Slack"')}`)).status).toBe(400);
  });

  it('pages apps 20 at a time by default and at most 200', async () => {
    okta = await startDemo();
    const template = okta.org.apps[0];
    for (let i = 0; i < 25; i++)
      okta.org.apps.push({ app: { ...template.app, id: `0oaCopy${String(i).padStart(13, '0')}` } });
    const first = await get(okta, '/api/v1/apps');
    expect(first.body).toHaveLength(20);
    expect(nextLink(first.headers.get('link'))).toMatch(
      /^http:\/\/127\.0\.0\.1:\d+\/api\/v1\/apps\?after=.+&limit=20$/,
    );
    expect((await getAllPages(okta, '/api/v1/apps')).items).toHaveLength(okta.org.apps.length);
    expect((await get(okta, '/api/v1/apps?limit=500')).body).toHaveLength(okta.org.apps.length);
  });

  it('answers 404 E0000007 for a connection the app does not have, and 400 E0000001 for its features', async () => {
    okta = await startDemo();
    const scim = okta.org.apps.find((a) => a.app.label === 'Acme Expenses (SCIM)')!;
    const connection = await get(okta, `/api/v1/apps/${String(scim.app.id)}/connections/default`);
    expect(connection.status).toBe(404);
    expect(connection.body.errorCode).toBe('E0000007');
    const features = await get(okta, `/api/v1/apps/${String(scim.app.id)}/features`);
    expect(features.status).toBe(400);
    expect(features.body).toMatchObject({
      errorCode: 'E0000001',
      errorSummary: 'Api validation failed: feature',
      errorCauses: [{ errorSummary: 'Provisioning is not enabled for the app instance.' }],
    });
  });

  it('serves the provisioning connection and USER_PROVISIONING feature of apps that have them', async () => {
    okta = await startDemo();
    const slack = okta.org.apps.find((a) => a.app.name === 'slack')!;
    const connection = await get(okta, `/api/v1/apps/${String(slack.app.id)}/connections/default`);
    expect(connection.body).toMatchObject({ status: 'DISABLED', profile: { authScheme: 'OAUTH2' } });
    const features = await get(okta, `/api/v1/apps/${String(slack.app.id)}/features`);
    expect(features.body[0]).toMatchObject({ name: 'USER_PROVISIONING', status: 'ENABLED' });
  });

  it('pages app users 50 at a time by default and embeds the user with expand=user', async () => {
    okta = await startDemo();
    const zoom = okta.org.apps.find((a) => a.app.name === 'zoomus')!;
    const first = await get(okta, `/api/v1/apps/${String(zoom.app.id)}/users?expand=user`);
    const gina = first.body.find((u: Json) => u.syncState === 'ERROR');
    expect(gina._embedded.user).toMatchObject({ status: 'DEPROVISIONED' });
    zoom.users!.push(...Array.from({ length: 60 }, (_, i) => ({ ...zoom.users![0], id: `00uZoom${i}` })));
    const page = await get(okta, `/api/v1/apps/${String(zoom.app.id)}/users`);
    expect(page.body).toHaveLength(50);
    expect(nextLink(page.headers.get('link'))).not.toBeNull();
    expect((await get(okta, `/api/v1/apps/${String(zoom.app.id)}/users?limit=900`)).body).toHaveLength(63);
  });
});

describe('agent pools and API tokens', () => {
  it('filters pools by poolType and returns agents as an array with epoch-ms lastConnection', async () => {
    okta = await startDemo();
    const res = await get(okta, '/api/v1/agentPools?poolType=AD');
    expect(res.body.map((p: Json) => p.type)).toEqual(['AD', 'AD']);
    for (const pool of res.body) {
      expect(Array.isArray(pool.agents)).toBe(true);
      for (const agent of pool.agents) expect(Number.isInteger(agent.lastConnection)).toBe(true);
    }
  });

  it('pages pools by limitPerPoolType', async () => {
    okta = await startDemo();
    const { items, pages } = await getAllPages(okta, '/api/v1/agentPools?limitPerPoolType=1');
    expect(pages).toBe(2);
    expect(items).toHaveLength(okta.org.agentPools.length);
  });

  it('pages API tokens with limit and an opaque after cursor', async () => {
    okta = await startDemo();
    const first = await get(okta, '/api/v1/api-tokens?limit=3');
    expect(first.body).toHaveLength(3);
    const next = nextLink(first.headers.get('link'))!;
    expect(new URL(next).searchParams.get('after')).not.toBe(String(first.body[2].id));
    expect((await getAllPages(okta, '/api/v1/api-tokens?limit=3')).items).toHaveLength(okta.org.apiTokens.length);
    expect((await get(okta, '/api/v1/api-tokens?after=00TSomething')).status).toBe(400);
  });
});
