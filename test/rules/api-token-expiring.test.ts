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
} from '../support/inventory-builder';

const RULE = 'api-token-expiring';

const cases: RuleCase[] = [
  { name: 'a token expiring in 25 days passes', edits: [], expected: [{ resourceId: TOKEN, status: 'PASS' }] },
  {
    name: 'a token expiring in 3 days fails',
    edits: [withToken({ expiresAt: daysFromNow(3) })],
    expected: [{ resourceId: TOKEN, status: 'FAIL' }],
  },
  {
    name: 'a token expiring exactly at the warning limit fails',
    edits: [withToken({ expiresAt: daysFromNow(7) })],
    expected: [{ resourceId: TOKEN, status: 'FAIL' }],
  },
  {
    name: 'a token expiring just after the warning limit passes',
    edits: [withToken({ expiresAt: daysFromNow(7.1) })],
    expected: [{ resourceId: TOKEN, status: 'PASS' }],
  },
  {
    name: 'a token that already expired fails',
    edits: [withToken({ expiresAt: daysFromNow(-2) })],
    expected: [{ resourceId: TOKEN, status: 'FAIL' }],
  },
  {
    name: 'a token with no expiry is unknown',
    edits: [withToken({ expiresAt: null })],
    expected: [{ resourceId: TOKEN, status: 'UNKNOWN' }],
  },
  {
    name: 'a failed token list gives one unknown row',
    edits: [withSourceFailed('apiTokens')],
    expected: [{ resourceId: 'api-tokens/*', status: 'UNKNOWN' }],
  },
  {
    name: 'a failed owner read does not change an expiry verdict',
    edits: [withSourceFailed('owners')],
    expected: [{ resourceId: TOKEN, status: 'PASS' }],
  },
];

describe(RULE, () => {
  ruleTable(RULE, cases);

  it('uses expiryWarningDays from the config', () => {
    const config = parseConfig({ expiryWarningDays: 30 });
    expect(rows(RULE, build(), { config })).toEqual([{ resourceId: TOKEN, status: 'FAIL' }]);
  });

  it('evaluates at the time it is given, not the wall clock', () => {
    expect(rows(RULE, build(), { now: new Date(Date.parse(daysFromNow(20))) })).toEqual([
      { resourceId: TOKEN, status: 'FAIL' },
    ]);
  });

  it('says when the token expires', () => {
    const [finding] = findingsOf(RULE, build(withToken({ expiresAt: daysFromNow(3) })));
    expect(finding.message).toContain(`expires on ${daysFromNow(3).slice(0, 10)}, in 3 days`);
    expect(finding.evidence).toMatchObject({ daysLeft: 3, expiryWarningDays: 7 });
  });
});
