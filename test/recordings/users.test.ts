import { describe, expect, it } from 'vitest';
import { collectOwners, readUserGroups, readUserRoles } from '../../lambda/okta/collectors/owners';
import { itemsOf, type Json, type Recording, successes } from './recordings';
import { withReplay } from './replay-client';

// Every recorded user, user role and user group goes through the collector that reads it,
// through the real SDK client, and comes out as recorded. Single objects (GET /users/{id},
// /roles/{id}) are also served as one-item lists at the list path the scanner reads.

const obj = (value: unknown): Json => (value ?? {}) as Json;
const userIdOf = (recording: Recording): string => recording.request.path.split('/')[4];
const linksOf = (recording: Recording): string[] | undefined =>
  Array.isArray(recording.response.body) ? recording.response.headers.Link : undefined;

describe('users recordings through collectOwners', () => {
  it.each(successes('users').map((r) => [r.file, r] as const))('%s', async (_file, recording) => {
    const users = itemsOf(recording);
    const answers = [
      { path: '/api/v1/users', body: users, links: linksOf(recording) },
      ...(Array.isArray(recording.response.body) ? [] : [{ path: recording.request.path, body: users[0] }]),
    ];
    const ids = users.map((u) => String(u.id));
    const { result, server } = await withReplay(answers, (client) =>
      collectOwners(client, { userIds: ids, logins: [], readGroups: false, readRoles: false }),
    );
    expect(server.requests[0].query.get('search')).toContain(`id eq "${ids[0]}"`);
    expect(result.owners).toEqual({ status: 'complete' });
    // A recorded rel="next" is followed (the page after it was not recorded and is served empty).
    const next = (linksOf(recording) ?? []).some((link) => link.includes('rel="next"'));
    expect(server.requests.some((r) => r.query.has('after'))).toBe(next);
    expect(result.missingUserIds).toEqual([]);
    expect(Object.values(result.users)).toHaveLength(users.length);
    for (const user of users) {
      const profile = obj(user.profile);
      expect(result.users[String(user.id)]).toEqual({
        id: user.id,
        login: profile.login,
        status: user.status,
        typeId: obj(user.type).id ?? null,
        profile: {
          userType: profile.userType ?? null,
          email: profile.email ?? null,
          displayName: profile.displayName ?? null,
          firstName: profile.firstName ?? null,
          lastName: profile.lastName ?? null,
        },
        groups: null,
        roles: null,
        lastLogin: user.lastLogin ?? null,
        // Only profile attributes holding a date are kept (a leavers.dateAttribute, issue 14).
        profileDates: Object.fromEntries(
          Object.entries(profile).filter(([, v]) => typeof v === 'string' && /^\d{4}-\d{2}-\d{2}/.test(v)),
        ),
      });
    }
  });
});

describe('user-roles recordings through readUserRoles', () => {
  it.each(successes('user-roles').map((r) => [r.file, r] as const))('%s', async (_file, recording) => {
    const roles = itemsOf(recording);
    const userId = userIdOf(recording);
    const { result } = await withReplay([{ path: `/api/v1/users/${userId}/roles`, body: roles }], (client) =>
      readUserRoles(client, userId),
    );
    expect(result).toEqual(
      roles.map((r) => ({ type: r.type, label: r.label, status: r.status ?? null, assignmentType: r.assignmentType })),
    );
  });
});

describe('user-groups recordings through readUserGroups', () => {
  it.each(successes('user-groups').map((r) => [r.file, r] as const))('%s', async (_file, recording) => {
    const groups = itemsOf(recording);
    const userId = userIdOf(recording);
    const { result } = await withReplay(
      [{ path: recording.request.path, body: groups, links: linksOf(recording) }],
      (client) => readUserGroups(client, userId),
    );
    expect(result).toEqual(groups.map((g) => ({ id: g.id, name: obj(g.profile).name })));
  });
});
