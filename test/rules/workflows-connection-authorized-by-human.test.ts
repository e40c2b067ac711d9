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

const RULE = 'workflows-connection-authorized-by-human';

const cases: RuleCase[] = [
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
