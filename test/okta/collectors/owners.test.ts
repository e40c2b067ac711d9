import { describe, expect, it } from 'vitest';
import { collectOwners } from '../../../lambda/okta/collectors/owners';
import { IDS, smallOrg, sswsClient, startOrg, user } from '../fixtures';

// Okta compares search values without case, so a search can return users nobody asked for.

describe('collectOwners', () => {
  it('keeps only the users asked for when a search also returns ids or logins differing in case', async () => {
    const org = smallOrg();
    org.users.push(
      user('00uCaseAbc0000000001', 'pat.case@example.com'),
      user('00ucaseabc0000000001', 'other@example.com'),
      user('00uByLogin0000000002', 'Sam.Login@Example.com'),
    );
    const okta = await startOrg(org);
    try {
      const result = await collectOwners(sswsClient(okta), {
        userIds: ['00uCaseAbc0000000001'],
        logins: ['sam.login@example.com'],
        readGroups: true,
        readRoles: false,
      });
      // The id asked for exactly, and the login asked for without case.
      expect(Object.keys(result.users).sort()).toEqual(['00uByLogin0000000002', '00uCaseAbc0000000001']);
      expect(result.missingUserIds).toEqual([]);
      const groupReads = okta.requests.filter((r) => r.path.endsWith('/groups')).map((r) => r.path);
      expect(groupReads.sort()).toEqual([
        '/api/v1/users/00uByLogin0000000002/groups',
        '/api/v1/users/00uCaseAbc0000000001/groups',
      ]);
    } finally {
      await okta.close();
    }
  });

  // A resumed scan step must ask for the same URLs: whether an owner's groups are read cannot
  // depend on which of two searches answers first.
  it.each([
    { first: 'the status-only search', delayLoginSearch: true },
    { first: 'the login search', delayLoginSearch: false },
  ])('reads the groups of an owner also named status-only when $first answers first', async ({ delayLoginSearch }) => {
    const okta = await startOrg();
    try {
      const alice = okta.org.users.find((u) => u.id === IDS.alice) as { profile: { login: string } };
      const login = alice.profile.login;
      const client = sswsClient(okta);
      let release: () => void = () => {};
      const loginAnswered = new Promise<void>((resolve) => {
        release = resolve;
      });
      client.sdk.requestExecutor.on('response', () => release());
      // The login search goes first; slowed down, the status-only search overtakes it.
      if (delayLoginSearch) okta.fault({ route: '/api/v1/users', fault: { kind: 'delay', ms: 300 }, times: 1 });
      const result = await collectOwners(client, {
        userIds: [],
        logins: [login],
        statusOnlyIds: delayLoginSearch ? Promise.resolve([IDS.alice]) : loginAnswered.then(() => [IDS.alice]),
        readGroups: true,
        readRoles: false,
      });

      expect(Object.keys(result.users)).toEqual([IDS.alice]);
      expect(result.users[IDS.alice].groups).not.toBeNull();
      const groupReads = okta.requests.filter((r) => r.path.endsWith('/groups')).map((r) => r.path);
      expect(groupReads).toEqual([`/api/v1/users/${IDS.alice}/groups`]);
    } finally {
      await okta.close();
    }
  });
});
