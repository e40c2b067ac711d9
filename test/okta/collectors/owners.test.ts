import { describe, expect, it } from 'vitest';
import { collectOwners } from '../../../lambda/okta/collectors/owners';
import { smallOrg, sswsClient, startOrg, user } from '../fixtures';

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
});
