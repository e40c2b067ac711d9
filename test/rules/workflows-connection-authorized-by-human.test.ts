import { describe, expect, it } from 'vitest';
import {
  ALICE,
  authorizedBy,
  BOB,
  build,
  daysFromNow,
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

const RULE = 'workflows-connection-authorized-by-human';

const cases: RuleCase[] = [
  {
    name: 'Workflows acting as a person with no connection event in the window fails',
    edits: [usedByWorkflowsAs(ALICE)],
    expected: [
      { resourceId: `okta-used-by-workflows/${ALICE}`, status: 'FAIL' },
      { resourceId: WF_CONNECTION, status: 'PASS' },
    ],
  },
  {
    name: 'Workflows acting as a service account passes',
    edits: [usedByWorkflowsAs(SVC)],
    expected: [
      { resourceId: `okta-used-by-workflows/${SVC}`, status: 'PASS' },
      { resourceId: WF_CONNECTION, status: 'PASS' },
    ],
  },
  {
    name: 'Workflows activity seen but the System Log source failed: one unknown row, never PASS',
    edits: [usedByWorkflowsAs(SVC), withSourceFailed('workflowsEvents')],
    expected: [{ resourceId: 'workflows/*', status: 'UNKNOWN' }],
  },
  {
    name: 'a connection authorized by a service account passes',
    edits: [],
    expected: [{ resourceId: WF_CONNECTION, status: 'PASS' }],
  },
  {
    name: 'a connection authorized by a person fails',
    edits: [authorizedBy(ALICE)],
    expected: [{ resourceId: WF_CONNECTION, status: 'FAIL' }],
  },
  {
    name: 'a connection authorized by a deactivated person fails',
    edits: [authorizedBy(BOB)],
    expected: [{ resourceId: WF_CONNECTION, status: 'FAIL' }],
  },
  {
    name: 'a connection whose authorizer was deleted is unknown',
    edits: [withMissingUser(SVC)],
    expected: [{ resourceId: WF_CONNECTION, status: 'UNKNOWN' }],
  },
  {
    name: 'a connection whose authorizer could not be read is unknown',
    edits: [withUnreadUser(SVC)],
    expected: [{ resourceId: WF_CONNECTION, status: 'UNKNOWN' }],
  },
  {
    name: "a person's connection is unknown when their groups could not be read",
    edits: [authorizedBy(ALICE), withUser(ALICE, { groups: null })],
    expected: [{ resourceId: WF_CONNECTION, status: 'UNKNOWN' }],
  },
  {
    name: 'a failed System Log read gives one unknown row for the rule',
    edits: [withSourceFailed('workflowsEvents')],
    expected: [{ resourceId: 'workflows/*', status: 'UNKNOWN' }],
  },
  { name: 'no connections, no rows', edits: [(inv) => (inv.workflowsConnections = [])], expected: [] },
];

describe(RULE, () => {
  ruleTable(RULE, cases);

  it('says what Workflows did as the person, with last use, count and event types as evidence', () => {
    const used = findingsOf(RULE, build(usedByWorkflowsAs(ALICE, 7))).find((f) => f.status === 'FAIL');
    expect(used?.message).toBe(
      `Workflows connection "Okta (used by Workflows as alice@acme.com)" (Okta) last acted on ${daysFromNow(-2).slice(0, 10)} (7 logged changes) as alice@acme.com, a person: it stops working when that account is deactivated.`,
    );
    expect(used?.evidence).toMatchObject({
      lastAuthorizedAt: null,
      lastUsedAt: daysFromNow(-2),
      eventCount: 7,
      eventTypes: { 'group.user_membership.add': 7 },
    });
  });

  it('names the connection and the person who authorized it', () => {
    const [finding] = findingsOf(RULE, build(authorizedBy(ALICE)));
    expect(finding.resource).toEqual({ type: 'workflows_connection', id: WF_CONNECTION, name: 'Okta - prod' });
    expect(finding.message).toContain('alice@acme.com, a person');
    expect(finding.owner).toMatchObject({ id: ALICE, kind: 'human' });
  });

  it('says the System Log could not be read', () => {
    const [finding] = findingsOf(RULE, build(withSourceFailed('workflowsEvents')));
    expect(finding.resource.name).toBe('Workflows connections');
    expect(finding.message).toContain('workflowsEvents could not be read');
    expect(finding.message).toContain('okta.logs.read');
  });
});
