import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../lambda/config';
import {
  build,
  daysFromNow,
  findingsOf,
  type RuleCase,
  rows,
  ruleTable,
  TOKEN,
  withSourceFailed,
  withToken,
  withTokenUsage,
} from '../support/inventory-builder';

const RULE = 'api-token-unused';

const cases: RuleCase[] = [
  {
    name: 'a token used 5 days ago passes (expires in 25 of its 30 days)',
    edits: [],
    expected: [{ resourceId: TOKEN, status: 'PASS', severity: 'low' }],
  },
  {
    name: 'a token idle for 30 days fails',
    edits: [withToken({ expiresAt: daysFromNow(0) })],
    expected: [{ resourceId: TOKEN, status: 'FAIL', severity: 'low' }],
  },
  {
    name: 'a token idle for exactly 14 days fails',
    edits: [withToken({ expiresAt: daysFromNow(16) })],
    expected: [{ resourceId: TOKEN, status: 'FAIL' }],
  },
  {
    name: 'a token idle for 13 days passes',
    edits: [withToken({ expiresAt: daysFromNow(17) })],
    expected: [{ resourceId: TOKEN, status: 'PASS' }],
  },
  {
    name: 'a logged change later than the expiry says is the last use',
    edits: [withToken({ expiresAt: daysFromNow(5) }), withTokenUsage(TOKEN, { lastEventAt: daysFromNow(-2) })],
    expected: [{ resourceId: TOKEN, status: 'PASS' }],
  },
  {
    name: 'without an expiry, a recent logged change is a use',
    edits: [withToken({ expiresAt: null }), withTokenUsage(TOKEN, { lastEventAt: daysFromNow(-2) })],
    expected: [{ resourceId: TOKEN, status: 'PASS' }],
  },
  {
    name: 'without an expiry and with no logged change the last use is unknown',
    edits: [withToken({ expiresAt: null })],
    expected: [{ resourceId: TOKEN, status: 'UNKNOWN' }],
  },
  {
    name: 'without an expiry and an unreadable log the last use is unknown, never PASS',
    edits: [
      withToken({ expiresAt: null }),
      withTokenUsage(TOKEN, { lastEventAt: daysFromNow(-2) }),
      withSourceFailed('apiTokenUsage'),
    ],
    expected: [{ resourceId: TOKEN, status: 'UNKNOWN' }],
  },
  {
    name: 'an unreadable log does not hide an idle token known from its expiry',
    edits: [withToken({ expiresAt: daysFromNow(1) }), withSourceFailed('apiTokenUsage')],
    expected: [{ resourceId: TOKEN, status: 'FAIL' }],
  },
  {
    name: 'a token window Okta does not describe in days gives no last use from the expiry',
    edits: [withToken({ tokenWindow: 'PT720H' })],
    expected: [{ resourceId: TOKEN, status: 'UNKNOWN' }],
  },
  {
    name: 'a failed token list gives one unknown row',
    edits: [withSourceFailed('apiTokens')],
    expected: [{ resourceId: 'api-tokens/*', status: 'UNKNOWN' }],
  },
];

describe(RULE, () => {
  ruleTable(RULE, cases);

  it('uses unusedTokenDays from the config (default 14)', () => {
    expect(parseConfig({}).unusedTokenDays).toBe(14);
    const config = parseConfig({ unusedTokenDays: 3 });
    expect(rows(RULE, build(), { config })).toEqual([{ resourceId: TOKEN, status: 'FAIL' }]);
  });

  it('refuses an unusedTokenDays past the 30 days after which Okta revokes the token itself', () => {
    expect(() => parseConfig({ unusedTokenDays: 45 })).toThrow(/unusedTokenDays/);
  });

  it('says when the token was last used and advises revoking it, with its activity as evidence', () => {
    const [finding] = findingsOf(
      RULE,
      build(
        withToken({ expiresAt: daysFromNow(2) }),
        withTokenUsage(TOKEN, {
          eventCount: 3,
          eventTypes: { 'group.user_membership.add': 3 },
          lastEventAt: daysFromNow(-40),
        }),
      ),
    );
    expect(finding.message).toContain(`last used on ${daysFromNow(-28).slice(0, 10)}, 28 days ago`);
    expect(finding.message).toContain('revoke it rather than move it');
    expect(finding.evidence).toMatchObject({
      idleDays: 28,
      unusedTokenDays: 14,
      usage: { changesInWindow: 3, eventTypes: { 'group.user_membership.add': 3 }, ipAddresses: ['198.51.100.7'] },
    });
  });
});
