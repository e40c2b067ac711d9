import { describe, expect, it } from 'vitest';
import {
  ALICE,
  authorizedBy,
  BOB,
  build,
  findingsOf,
  type RuleCase,
  ruleTable,
  SVC,
  usedByWorkflowsAs,
  WF_CONNECTION,
  withMissingUser,
  withSourceFailed,
  withUnreadUser,
  withUser,
} from '../support/inventory-builder';

const RULE = 'workflows-connection-authorizer-not-active';

const cases: RuleCase[] = [
  {
    name: 'Workflows still acting as a deactivated person (no connection event in the window) fails',
    edits: [usedByWorkflowsAs(BOB)],
    expected: [
      { resourceId: `okta-used-by-workflows/${BOB}`, status: 'FAIL' },
      { resourceId: WF_CONNECTION, status: 'PASS' },
    ],
  },
  {
    name: 'a connection authorized by an active account passes',
    edits: [],
    expected: [{ resourceId: WF_CONNECTION, status: 'PASS' }],
  },
  {
    name: 'a connection authorized by an active person passes this rule',
    edits: [authorizedBy(ALICE)],
    expected: [{ resourceId: WF_CONNECTION, status: 'PASS' }],
  },
  {
    name: 'a connection authorized by a deactivated person fails',
    edits: [authorizedBy(BOB)],
    expected: [{ resourceId: WF_CONNECTION, status: 'FAIL' }],
  },
  {
    name: 'a connection whose authorizer is suspended fails',
    edits: [withUser(SVC, { status: 'SUSPENDED' })],
    expected: [{ resourceId: WF_CONNECTION, status: 'FAIL' }],
  },
  {
    name: 'a connection whose authorizer was deleted fails',
    edits: [withMissingUser(SVC)],
    expected: [{ resourceId: WF_CONNECTION, status: 'FAIL' }],
  },
  {
    name: 'a connection whose authorizer could not be read is unknown',
    edits: [withUnreadUser(SVC)],
    expected: [{ resourceId: WF_CONNECTION, status: 'UNKNOWN' }],
  },
  {
    name: 'a failed user read makes a would-be pass unknown',
    edits: [withSourceFailed('owners')],
    expected: [{ resourceId: WF_CONNECTION, status: 'UNKNOWN' }],
  },
  {
    name: 'a failed System Log read gives one unknown row for the rule',
    edits: [withSourceFailed('workflowsEvents')],
    expected: [{ resourceId: 'workflows/*', status: 'UNKNOWN' }],
  },
];

describe(RULE, () => {
  ruleTable(RULE, cases);

  it('says the connection runs as the account when only its activity is known', () => {
    const failed = findingsOf(RULE, build(usedByWorkflowsAs(BOB))).find((f) => f.status === 'FAIL');
    expect(failed?.message).toMatch(
      /^Workflows connection "Okta \(used by Workflows as bob@acme.com\)" runs as bob@acme.com, whose account is/,
    );
    expect(failed?.evidence).toMatchObject({ lastAuthorizedAt: null, eventCount: 4 });
  });

  it("says the authorizer's status", () => {
    const [finding] = findingsOf(RULE, build(authorizedBy(BOB)));
    expect(finding.severity).toBe('critical');
    expect(finding.message).toContain('bob@acme.com, whose account is DEPROVISIONED (deactivated)');
  });
});
