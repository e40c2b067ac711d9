import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../lambda/config';
import {
  AGENT,
  build,
  daysFromNow,
  type Edit,
  findingsOf,
  ORG2ORG,
  type Row,
  rows,
  SVC,
  TOKEN,
  WF_CONNECTION,
  withAgent,
  withMissingUser,
  withSourceFailed,
  withUnreadUser,
  withUser,
} from '../support/inventory-builder';

const RULE = 'owner-inactive';
// Suspended after 35 days without sign-in, warned 14 days ahead: a sign-in older than 21 days fails.
const config = parseConfig({ inactivitySuspendDays: 35, leavers: { warningDays: 14 } });

const signedIn = (days: number | null): Edit => withUser(SVC, { lastLogin: days === null ? null : daysFromNow(-days) });
const all = (status: Row['status']): Row[] =>
  [TOKEN, ORG2ORG, WF_CONNECTION].map((resourceId) => ({ resourceId, status }));

const cases: { name: string; edits: Edit[]; expected: Row[] }[] = [
  { name: 'an owner who signed in recently passes', edits: [signedIn(3)], expected: all('PASS') },
  { name: 'a sign-in 20 days ago is still outside the warning', edits: [signedIn(20)], expected: all('PASS') },
  { name: 'a sign-in 22 days ago is within the warning', edits: [signedIn(22)], expected: all('FAIL') },
  { name: 'an owner who has not signed in for 60 days fails', edits: [signedIn(60)], expected: all('FAIL') },
  { name: 'an owner who never signed in fails', edits: [signedIn(null)], expected: all('FAIL') },
  {
    name: 'an AD agent on a token is judged by its installer',
    edits: [signedIn(60), withAgent({ version: '3.1.0' })],
    expected: [{ resourceId: AGENT, status: 'FAIL' }, ...all('FAIL')],
  },
  {
    name: 'an owner already suspended has nothing left to warn of',
    edits: [signedIn(60), withUser(SVC, { status: 'SUSPENDED' })],
    expected: all('PASS'),
  },
  { name: 'a deleted owner has nothing left to warn of', edits: [withMissingUser(SVC)], expected: all('PASS') },
  { name: 'an inventory saved before sign-in times were kept is unknown', edits: [], expected: all('UNKNOWN') },
  { name: 'an owner that could not be read is unknown', edits: [withUnreadUser(SVC)], expected: all('UNKNOWN') },
  {
    name: 'a failed user read makes a would-be pass unknown',
    edits: [signedIn(3), withSourceFailed('owners')],
    expected: all('UNKNOWN'),
  },
  {
    name: 'an unreadable System Log gives unknown rows for the kinds known from it',
    edits: [signedIn(3), withSourceFailed('workflowsEvents'), withSourceFailed('provisioningEvents')],
    expected: [
      { resourceId: 'apps/*', status: 'UNKNOWN' },
      { resourceId: TOKEN, status: 'PASS' },
      { resourceId: 'workflows/*', status: 'UNKNOWN' },
    ],
  },
];

describe(RULE, () => {
  it.each(cases)('$name', ({ edits, expected }) => {
    const sorted = [...expected].sort((a, b) => a.resourceId.localeCompare(b.resourceId));
    expect(rows(RULE, build(...edits), { config })).toEqual(sorted);
  });

  it('judges nothing unless inactivitySuspendDays is set', () => {
    expect(rows(RULE, build(signedIn(null)))).toEqual([]);
  });

  it('says when the owner last signed in and from when the account is suspended', () => {
    const finding = findingsOf(RULE, build(signedIn(30)), { config }).find((f) => f.resource.id === TOKEN)!;
    expect(finding.severity).toBe('high');
    expect(finding.message).toContain(`last signed in on ${daysFromNow(-30).slice(0, 10)}`);
    expect(finding.message).toContain(`is suspended from ${daysFromNow(5).slice(0, 10)}`);
    expect(finding.evidence).toMatchObject({ inactivitySuspendDays: 35, warningDays: 14 });
  });

  it('uses 30 warning days when the config gives no leavers', () => {
    const loose = parseConfig({ inactivitySuspendDays: 35 });
    expect(rows(RULE, build(signedIn(6)), { config: loose })).toEqual(all('FAIL'));
    expect(rows(RULE, build(signedIn(4)), { config: loose })).toEqual(all('PASS'));
  });
});
