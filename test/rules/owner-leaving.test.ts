import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../lambda/config';
import {
  AGENT,
  ALICE,
  BOB,
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
  withToken,
  withUnreadUser,
  withUser,
} from '../support/inventory-builder';

const RULE = 'owner-leaving';
const config = parseConfig({ leavers: { groups: ['Leavers'], dateAttribute: 'terminationDate', warningDays: 30 } });

/** The baseline's service account, with a profile that says nothing of leaving. */
const staying: Edit = withUser(SVC, { profileDates: {}, lastLogin: daysFromNow(-1) });
const inLeavers: Edit = withUser(SVC, { groups: [{ id: '00gleavers', name: 'leavers' }] });
const leavingOn =
  (days: number): Edit =>
  (inv) =>
    withUser(SVC, { profileDates: { terminationDate: daysFromNow(days).slice(0, 10) } })(inv);
const all = (status: Row['status']): Row[] =>
  [TOKEN, ORG2ORG, WF_CONNECTION].map((resourceId) => ({ resourceId, status }));

const cases: { name: string; edits: Edit[]; expected: Row[] }[] = [
  { name: 'integrations of an account not leaving pass', edits: [staying], expected: all('PASS') },
  {
    name: 'a member of a leavers group (any case) fails each integration',
    edits: [staying, inLeavers],
    expected: all('FAIL'),
  },
  { name: 'a leaving date within the warning days fails', edits: [leavingOn(10)], expected: all('FAIL') },
  { name: 'a leaving date already past fails', edits: [leavingOn(-3)], expected: all('FAIL') },
  { name: 'a leaving date beyond the warning days passes', edits: [leavingOn(45)], expected: all('PASS') },
  {
    name: 'an AD agent on a token runs on its installer and is judged too',
    edits: [staying, inLeavers, withAgent({ version: '3.1.0' })],
    expected: [{ resourceId: AGENT, status: 'FAIL' }, ...all('FAIL')],
  },
  {
    name: 'only the integrations of the leaver fail',
    edits: [staying, withToken({ userId: ALICE }), withUser(ALICE, { groups: [{ id: '00gl', name: 'Leavers' }] })],
    expected: [
      { resourceId: ORG2ORG, status: 'PASS' },
      { resourceId: TOKEN, status: 'FAIL' },
      { resourceId: WF_CONNECTION, status: 'PASS' },
    ],
  },
  {
    name: 'unread groups make a would-be pass unknown',
    edits: [staying, withUser(SVC, { groups: null })],
    expected: all('UNKNOWN'),
  },
  {
    name: 'a leaving date still fails when the groups could not be read',
    edits: [leavingOn(5), withUser(SVC, { groups: null })],
    expected: all('FAIL'),
  },
  {
    name: 'an inventory saved before profile dates were kept is unknown',
    edits: [],
    expected: all('UNKNOWN'),
  },
  { name: 'an owner that could not be read is unknown', edits: [withUnreadUser(SVC)], expected: all('UNKNOWN') },
  { name: 'a deleted owner has no leaving to warn of', edits: [withMissingUser(SVC)], expected: all('PASS') },
  {
    name: 'a failed token list gives one unknown row for tokens, the rest are judged',
    edits: [staying, inLeavers, withSourceFailed('apiTokens')],
    expected: [
      { resourceId: ORG2ORG, status: 'FAIL' },
      { resourceId: 'api-tokens/*', status: 'UNKNOWN' },
      { resourceId: WF_CONNECTION, status: 'FAIL' },
    ],
  },
];

describe(RULE, () => {
  it.each(cases)('$name', ({ edits, expected }) => {
    const sorted = [...expected].sort((a, b) => a.resourceId.localeCompare(b.resourceId));
    expect(rows(RULE, build(...edits), { config })).toEqual(sorted);
  });

  it('judges nothing without a leavers config', () => {
    expect(rows(RULE, build(staying, inLeavers))).toEqual([]);
  });

  it('says who is leaving, when, and what to move before then', () => {
    const date = daysFromNow(10).slice(0, 10);
    const finding = findingsOf(RULE, build(leavingOn(10)), { config }).find((f) => f.resource.id === TOKEN)!;
    expect(finding.severity).toBe('critical');
    expect(finding.message).toContain('svc-integrations@acme.com');
    expect(finding.message).toContain(`terminationDate ${date}, in 10 days`);
    expect(finding.remediation).toMatch(new RegExp(`^Before ${date}: Create a replacement token`));
    expect(finding.evidence).toMatchObject({ leavingDate: date, daysLeft: 10 });
  });

  it('names the group of a leaver', () => {
    const [finding] = findingsOf(
      RULE,
      build(
        staying,
        withToken({ userId: BOB }),
        withUser(BOB, { groups: [{ id: '00gx', name: 'Leavers' }], profileDates: {} }),
      ),
      { config },
    ).filter((f) => f.status === 'FAIL');
    expect(finding.message).toContain('group Leavers');
  });
});
