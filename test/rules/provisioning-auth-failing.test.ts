import { describe, expect, it } from 'vitest';
import {
  addApp,
  appTarget,
  asImportOnly,
  asSignInOnly,
  build,
  daysFromNow,
  type Edit,
  findingsOf,
  logEvent,
  ORG2ORG,
  type RuleCase,
  ruleTable,
  withSourceFailed,
} from '../support/inventory-builder';

const RULE = 'provisioning-auth-failing';
const SCIM = '0oascimapp00000001';

const authFailure =
  (appId: string, label: string, published = daysFromNow(-3), reason = 'Invalid credentials'): Edit =>
  (inv) => {
    inv.provisioningAuthFailures.push(
      logEvent({
        eventType: 'application.integration.authentication_failure',
        published,
        outcome: { result: 'FAILURE', reason },
        target: [appTarget(appId, label)],
      }),
    );
  };

const cases: RuleCase[] = [
  {
    name: 'an app with no failed authentication passes',
    edits: [],
    expected: [{ resourceId: ORG2ORG, status: 'PASS' }],
  },
  {
    name: 'an app with a failed authentication fails',
    edits: [authFailure(ORG2ORG, 'Okta Org2Org (hub)')],
    expected: [{ resourceId: ORG2ORG, status: 'FAIL' }],
  },
  {
    name: "another app's failure does not fail this one",
    edits: [addApp({ id: SCIM, label: 'Acme SCIM' }), authFailure(SCIM, 'Acme SCIM')],
    expected: [
      { resourceId: ORG2ORG, status: 'PASS' },
      { resourceId: SCIM, status: 'FAIL' },
    ],
  },
  {
    name: 'a failed System Log read makes every app unknown',
    edits: [withSourceFailed('provisioningEvents')],
    expected: [{ resourceId: ORG2ORG, status: 'UNKNOWN' }],
  },
  {
    name: 'an Org2Org app used for sign-in only with no failed authentication is not judged (issue 18)',
    edits: [asSignInOnly()],
    expected: [],
  },
  {
    name: 'an Org2Org app used for sign-in only that Okta failed to authenticate to still fails',
    edits: [asSignInOnly(), authFailure(ORG2ORG, 'Okta Org2Org (hub)')],
    expected: [{ resourceId: ORG2ORG, status: 'FAIL' }],
  },
  {
    name: 'an Org2Org app used for import only is judged: imports run on its connection',
    edits: [asImportOnly()],
    expected: [{ resourceId: ORG2ORG, status: 'PASS' }],
  },
  {
    name: 'an Org2Org app used for sign-in only is not judged when the System Log could not be read',
    edits: [asSignInOnly(), withSourceFailed('provisioningEvents')],
    expected: [],
  },
  {
    name: 'a failed app list gives one unknown row',
    edits: [withSourceFailed('apps')],
    expected: [{ resourceId: 'apps/*', status: 'UNKNOWN' }],
  },
];

describe(RULE, () => {
  ruleTable(RULE, cases);

  it('gives the count, the last time and the reason', () => {
    const [finding] = findingsOf(
      RULE,
      build(
        authFailure(ORG2ORG, 'Okta Org2Org (hub)', daysFromNow(-20), 'old reason'),
        authFailure(ORG2ORG, 'Okta Org2Org (hub)', daysFromNow(-2), 'Invalid credentials'),
      ),
    );
    expect(finding.evidence).toMatchObject({
      failureCount: 2,
      lastFailure: daysFromNow(-2),
      lastReason: 'Invalid credentials',
    });
    expect(finding.evidence.eventUuids).toHaveLength(2);
    expect(finding.message).toContain('2 times');
  });
});
