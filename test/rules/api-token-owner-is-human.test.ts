import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../lambda/config';
import {
  ALICE,
  addToken,
  BOB,
  build,
  findingsOf,
  type RuleCase,
  rows,
  ruleTable,
  SVC,
  TOKEN,
  withMissingUser,
  withSourceFailed,
  withToken,
  withUnreadUser,
  withUser,
} from '../support/inventory-builder';

const RULE = 'api-token-owner-is-human';

const cases: RuleCase[] = [
  { name: 'a token owned by a service account passes', edits: [], expected: [{ resourceId: TOKEN, status: 'PASS' }] },
  {
    name: 'a token owned by a person fails',
    edits: [withToken({ userId: ALICE })],
    expected: [{ resourceId: TOKEN, status: 'FAIL' }],
  },
  {
    name: 'a token owned by a deactivated person still fails as human',
    edits: [withToken({ userId: BOB })],
    expected: [{ resourceId: TOKEN, status: 'FAIL' }],
  },
  {
    name: 'an agent token owned by a person fails like any token',
    edits: [withToken({ userId: ALICE, clientName: 'Okta AD Agent' })],
    expected: [{ resourceId: TOKEN, status: 'FAIL' }],
  },
  {
    name: 'a token whose owner was deleted is unknown',
    edits: [withMissingUser(SVC)],
    expected: [{ resourceId: TOKEN, status: 'UNKNOWN' }],
  },
  {
    name: 'a token whose owner could not be read is unknown',
    edits: [withUnreadUser(SVC)],
    expected: [{ resourceId: TOKEN, status: 'UNKNOWN' }],
  },
  {
    name: "a person's token is unknown when their groups could not be read",
    edits: [withToken({ userId: ALICE }), withUser(ALICE, { groups: null })],
    expected: [{ resourceId: TOKEN, status: 'UNKNOWN' }],
  },
  {
    name: 'a failed group read makes a would-be pass unknown',
    edits: [withSourceFailed('ownerGroups')],
    expected: [{ resourceId: TOKEN, status: 'UNKNOWN' }],
  },
  {
    name: 'a failed token list gives one unknown row for the rule',
    edits: [withSourceFailed('apiTokens')],
    expected: [{ resourceId: 'api-tokens/*', status: 'UNKNOWN' }],
  },
  {
    name: 'each token gets its own row',
    edits: [addToken({ id: '00Tsecond', name: 'Backup job', userId: ALICE })],
    expected: [
      { resourceId: '00Tsecond', status: 'FAIL' },
      { resourceId: TOKEN, status: 'PASS' },
    ],
  },
  { name: 'no tokens, no rows', edits: [(inv) => (inv.apiTokens = [])], expected: [] },
];

describe(RULE, () => {
  ruleTable(RULE, cases);

  it('names the token, the owner and the problem in one sentence', () => {
    const [finding] = findingsOf(RULE, build(withToken({ userId: ALICE })));
    expect(finding.message).toBe(
      'API token "SIEM export" is owned by alice@acme.com, a person: it stops working when that account is deactivated.',
    );
    expect(finding.owner).toMatchObject({ id: ALICE, login: 'alice@acme.com', kind: 'human', status: 'ACTIVE' });
    expect(finding.evidence).toMatchObject({ clientName: 'Okta API', agentToken: false });
  });

  it("mentions an agent token's client name in the evidence", () => {
    const [finding] = findingsOf(RULE, build(withToken({ userId: ALICE, clientName: 'Okta AD Agent' })));
    expect(finding.evidence).toMatchObject({ clientName: 'Okta AD Agent', agentToken: true });
  });

  it('follows the configured service-account signals', () => {
    const config = parseConfig({ serviceAccounts: { userIds: [ALICE] } });
    expect(rows(RULE, build(withToken({ userId: ALICE })), { config })).toEqual([
      { resourceId: TOKEN, status: 'PASS' },
    ]);
  });
});
