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
  WF_CONNECTION,
  withMissingUser,
  withSourceFailed,
  withUnreadUser,
  withUser,
} from '../support/inventory-builder';

const RULE = 'workflows-connection-authorizer-not-active';

const cases: RuleCase[] = [
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

  it("says the authorizer's status", () => {
    const [finding] = findingsOf(RULE, build(authorizedBy(BOB)));
    expect(finding.severity).toBe('critical');
    expect(finding.message).toContain('bob@acme.com, whose account is DEPROVISIONED (deactivated)');
  });
});
