import { afterEach, describe, expect, it } from 'vitest';
import type { FakeOkta, Json } from '../../fake-okta/types';
import { get, startDemo } from './testing';

// The server answers user lookups from indexes; a test that changes the fixture between requests
// must still see its change.

let okta: FakeOkta | undefined;
afterEach(async () => {
  await okta?.close();
  okta = undefined;
});

const q = (s: string): string => encodeURIComponent(s);
const newcomer: Json = { id: '00uNewcomer00000001', status: 'ACTIVE', profile: { login: 'new@acme.com' } };

describe('fixture changes between requests', () => {
  it('finds a user pushed after the first lookup, by id and by case-insensitive id search', async () => {
    okta = await startDemo();
    expect((await get(okta, `/api/v1/users/${String(newcomer.id)}`)).status).toBe(404);
    okta.org.users.push(newcomer);
    expect((await get(okta, `/api/v1/users/${String(newcomer.id)}`)).body.id).toBe(newcomer.id);
    const search = await get(okta, `/api/v1/users?search=${q(`id eq "${String(newcomer.id).toLowerCase()}"`)}`);
    expect(search.body.map((u: Json) => u.id)).toEqual([newcomer.id]);
  });

  it('forgets users removed by replacing the users array', async () => {
    okta = await startDemo();
    const first = String(okta.org.users[0].id);
    expect((await get(okta, `/api/v1/users/${first}`)).status).toBe(200);
    okta.org.users = okta.org.users.filter((u) => u.id !== first);
    expect((await get(okta, `/api/v1/users/${first}`)).status).toBe(404);
    expect((await get(okta, `/api/v1/users?search=${q(`id eq "${first}"`)}`)).body).toEqual([]);
  });

  it("lists a group a user was added to after the user's groups were read", async () => {
    okta = await startDemo();
    const user = String(okta.org.users[0].id);
    const before = (await get(okta, `/api/v1/users/${user}/groups`)).body.map((g: Json) => g.id);
    const other = okta.org.groups.find((g) => !g.members.includes(user))!;
    other.members.push(user);
    const after = (await get(okta, `/api/v1/users/${user}/groups`)).body.map((g: Json) => g.id);
    expect(after.sort()).toEqual([...before, other.id].sort());
    okta.org = { ...okta.org, groups: [] };
    expect((await get(okta, `/api/v1/users/${user}/groups`)).body).toEqual([]);
  });
});
