import { describe, expect, it } from 'vitest';
import {
  ALICE,
  BOB,
  build,
  findingsOf,
  type RuleCase,
  ruleTable,
  SVC,
  TOKEN,
  withMissingUser,
  withSourceFailed,
  withToken,
  withUnreadUser,
  withUser,
} from '../support/inventory-builder';

const RULE = 'api-token-owner-not-active';

const cases: RuleCase[] = [
  { name: 'a token whose owner is active passes', edits: [], expected: [{ resourceId: TOKEN, status: 'PASS' }] },
  {
    name: 'a token owned by an active person passes this rule',
    edits: [withToken({ userId: ALICE })],
    expected: [{ resourceId: TOKEN, status: 'PASS' }],
  },
  {
    name: 'a token whose owner was deactivated fails',
    edits: [withToken({ userId: BOB })],
    expected: [{ resourceId: TOKEN, status: 'FAIL' }],
  },
  {
    name: 'a token whose owner is suspended fails',
    edits: [withUser(SVC, { status: 'SUSPENDED' })],
    expected: [{ resourceId: TOKEN, status: 'FAIL' }],
  },
  {
    name: 'a token whose owner was deleted fails',
    edits: [withMissingUser(SVC)],
    expected: [{ resourceId: TOKEN, status: 'FAIL' }],
  },
  {
    name: 'a token whose owner could not be read is unknown',
    edits: [withUnreadUser(SVC)],
    expected: [{ resourceId: TOKEN, status: 'UNKNOWN' }],
  },
  {
    name: 'a failed user read makes a would-be pass unknown',
    edits: [withSourceFailed('owners')],
    expected: [{ resourceId: TOKEN, status: 'UNKNOWN' }],
  },
  {
    name: 'a failed token list gives one unknown row',
    edits: [withSourceFailed('apiTokens')],
    expected: [{ resourceId: 'api-tokens/*', status: 'UNKNOWN' }],
  },
  {
    name: 'failed group and role reads do not matter to this rule',
    edits: [withSourceFailed('ownerGroups'), withSourceFailed('ownerRoles')],
    expected: [{ resourceId: TOKEN, status: 'PASS' }],
  },
];

describe(RULE, () => {
  ruleTable(RULE, cases);

  it("says the owner's status and that Okta rejects the token", () => {
    const [finding] = findingsOf(RULE, build(withToken({ userId: BOB })));
    expect(finding.severity).toBe('critical');
    expect(finding.message).toContain('bob@acme.com');
    expect(finding.message).toContain('DEPROVISIONED');
    expect(finding.evidence).toMatchObject({ ownerStatus: 'DEPROVISIONED', ownerMissing: false });
  });

  it.each(['LOCKED_OUT', 'RECOVERY', 'PASSWORD_EXPIRED'])(
    'fails an owner %s at medium and says Okta still accepts the token',
    (status) => {
      const [finding] = findingsOf(RULE, build(withUser(SVC, { status })));
      expect(finding.status).toBe('FAIL');
      expect(finding.severity).toBe('medium');
      expect(finding.message).toContain(status);
      expect(finding.message).toContain('still accepts the token');
    },
  );

  it('keeps a suspended owner critical: Okta rejects the token', () => {
    const [finding] = findingsOf(RULE, build(withUser(SVC, { status: 'SUSPENDED' })));
    expect(finding.severity).toBe('critical');
    expect(finding.message).toContain('SUSPENDED');
  });

  it('says a deleted owner no longer exists', () => {
    const [finding] = findingsOf(RULE, build(withMissingUser(SVC)));
    expect(finding.message).toContain('no longer exists in Okta');
    expect(finding.owner).toMatchObject({ id: SVC, status: null, kind: 'unknown' });
  });
});
