import { describe, expect, it } from 'vitest';
import {
  ALICE,
  asImportOnly,
  asSignInOnly,
  BOB,
  build,
  findingsOf,
  ORG2ORG,
  type RuleCase,
  ruleTable,
  SVC,
  withApp,
  withMissingUser,
  withProvisioningAuthorization,
  withSourceFailed,
} from '../support/inventory-builder';

const RULE = 'provisioning-authorized-by-human';

const cases: RuleCase[] = [
  {
    name: 'a connection last authorized by a service account passes',
    edits: [],
    expected: [{ resourceId: ORG2ORG, status: 'PASS' }],
  },
  {
    name: 'a connection last authorized by a person fails',
    edits: [withProvisioningAuthorization(ORG2ORG, ALICE)],
    expected: [{ resourceId: ORG2ORG, status: 'FAIL' }],
  },
  {
    name: 'a connection last authorized by a deactivated person fails',
    edits: [withProvisioningAuthorization(ORG2ORG, BOB)],
    expected: [{ resourceId: ORG2ORG, status: 'FAIL' }],
  },
  {
    name: 'a connection not authorized within the log window is unknown',
    edits: [withProvisioningAuthorization(ORG2ORG, null)],
    expected: [{ resourceId: ORG2ORG, status: 'UNKNOWN' }],
  },
  {
    name: 'a connection whose authorizer was deleted is unknown',
    edits: [withMissingUser(SVC)],
    expected: [{ resourceId: ORG2ORG, status: 'UNKNOWN' }],
  },
  {
    name: 'a failed System Log read makes every app unknown',
    edits: [withSourceFailed('provisioningEvents')],
    expected: [{ resourceId: ORG2ORG, status: 'UNKNOWN' }],
  },
  {
    name: 'a failed group read makes a would-be pass unknown',
    edits: [withSourceFailed('ownerGroups')],
    expected: [{ resourceId: ORG2ORG, status: 'UNKNOWN' }],
  },
  {
    name: 'an Org2Org app used for sign-in only, authorized by nobody in the window, is not judged (issue 18)',
    edits: [asSignInOnly(), withProvisioningAuthorization(ORG2ORG, null)],
    expected: [],
  },
  {
    name: 'an Org2Org app used for sign-in only that a person updated is not judged: no connection runs on them',
    edits: [asSignInOnly(), withProvisioningAuthorization(ORG2ORG, ALICE)],
    expected: [],
  },
  {
    name: 'an Org2Org app used for import only is judged: imports run on its connection',
    edits: [asImportOnly(), withProvisioningAuthorization(ORG2ORG, ALICE)],
    expected: [{ resourceId: ORG2ORG, status: 'FAIL' }],
  },
  {
    name: 'an Org2Org app whose use of its connection could not be read is judged',
    edits: [
      asSignInOnly(),
      withApp({ connection: null, featuresAvailable: null }),
      withSourceFailed('provisioning'),
      withProvisioningAuthorization(ORG2ORG, null),
    ],
    expected: [{ resourceId: ORG2ORG, status: 'UNKNOWN' }],
  },
  {
    name: 'a failed app list gives one unknown row',
    edits: [withSourceFailed('apps')],
    expected: [{ resourceId: 'apps/*', status: 'UNKNOWN' }],
  },
];

describe(RULE, () => {
  ruleTable(RULE, cases);

  it('says how far back the System Log was searched', () => {
    const [finding] = findingsOf(RULE, build(withProvisioningAuthorization(ORG2ORG, null)));
    expect(finding.message).toContain('not authorized within the last 90 days of System Log');
  });

  it('names the person and the event', () => {
    const [finding] = findingsOf(RULE, build(withProvisioningAuthorization(ORG2ORG, ALICE)));
    expect(finding.owner).toMatchObject({ id: ALICE, kind: 'human' });
    expect(finding.message).toContain('alice@acme.com, a person');
    expect(finding.evidence).toHaveProperty('eventUuid');
  });
});
