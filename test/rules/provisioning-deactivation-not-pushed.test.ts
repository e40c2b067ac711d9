import { describe, expect, it } from 'vitest';
import {
  ALICE,
  addApp,
  appTarget,
  asImportOnly,
  asSignInOnly,
  BOB,
  build,
  type Edit,
  findingsOf,
  logEvent,
  ORG2ORG,
  type RuleCase,
  ruleTable,
  userEntity,
  withApp,
  withMissingUser,
  withSourceFailed,
} from '../support/inventory-builder';

const RULE = 'provisioning-deactivation-not-pushed';
const LABEL = 'Okta Org2Org (hub)';
const SCIM = '0oascimapp00000001';

const failedPush =
  (userId: string, appId = ORG2ORG, label = LABEL): Edit =>
  (inv) => {
    inv.deactivationPushFailures.push(
      logEvent({
        eventType: 'application.provision.user.deactivate',
        outcome: { result: 'FAILURE', reason: 'Unable to deactivate user: 401 Unauthorized' },
        target: [userEntity(userId, inv), appTarget(appId, label)],
      }),
    );
  };

const inSyncError = (userId: string): Edit =>
  withApp({ usersInError: [{ userId, status: 'ACTIVE', syncState: 'ERROR', userName: `${userId}@app` }] });

const cases: RuleCase[] = [
  {
    name: 'an app with no failed push and no user in error passes as a whole',
    edits: [],
    expected: [{ resourceId: `${ORG2ORG}/*`, status: 'PASS' }],
  },
  {
    name: 'a failed deactivation push fails for that user',
    edits: [failedPush(BOB)],
    expected: [{ resourceId: `${ORG2ORG}/${BOB}`, status: 'FAIL' }],
  },
  {
    name: 'a deactivated user in sync error fails',
    edits: [inSyncError(BOB)],
    expected: [{ resourceId: `${ORG2ORG}/${BOB}`, status: 'FAIL' }],
  },
  {
    name: 'an Org2Org app used for sign-in only, whose users are not read, is not judged (issue 18)',
    edits: [asSignInOnly()],
    expected: [],
  },
  {
    name: 'an Org2Org app used for import only is not judged (issue 18)',
    edits: [asImportOnly()],
    expected: [],
  },
  {
    name: 'a failed deactivation push names an app used for sign-in only: that user still fails',
    edits: [asSignInOnly(), failedPush(BOB)],
    expected: [{ resourceId: `${ORG2ORG}/${BOB}`, status: 'FAIL' }],
  },
  {
    name: 'a deleted user in sync error fails',
    edits: [inSyncError(BOB), withMissingUser(BOB)],
    expected: [{ resourceId: `${ORG2ORG}/${BOB}`, status: 'FAIL' }],
  },
  {
    name: 'a user Okta knows nothing about in sync error fails',
    edits: [inSyncError('00unobodyread00001')],
    expected: [{ resourceId: `${ORG2ORG}/00unobodyread00001`, status: 'FAIL' }],
  },
  {
    name: 'an active user in sync error is a different problem and passes',
    edits: [inSyncError(ALICE)],
    expected: [{ resourceId: `${ORG2ORG}/*`, status: 'PASS' }],
  },
  {
    name: 'a push and a sync error for the same user make one row',
    edits: [failedPush(BOB), inSyncError(BOB)],
    expected: [{ resourceId: `${ORG2ORG}/${BOB}`, status: 'FAIL' }],
  },
  {
    name: 'an app whose users in error could not be read is unknown as a whole',
    edits: [withApp({ usersInError: null }), withSourceFailed('provisioning')],
    expected: [{ resourceId: `${ORG2ORG}/*`, status: 'UNKNOWN' }],
  },
  {
    name: 'a failed System Log read keeps known failures and makes the rest unknown',
    edits: [inSyncError(BOB), withSourceFailed('provisioningEvents')],
    expected: [
      { resourceId: `${ORG2ORG}/*`, status: 'UNKNOWN' },
      { resourceId: `${ORG2ORG}/${BOB}`, status: 'FAIL' },
    ],
  },
  {
    name: 'a failed app list gives one unknown row',
    edits: [withSourceFailed('apps')],
    expected: [{ resourceId: 'apps/*', status: 'UNKNOWN' }],
  },
  {
    name: 'each app is judged on its own',
    edits: [addApp({ id: SCIM, label: 'Acme SCIM', usersInError: [] }), failedPush(BOB, SCIM, 'Acme SCIM')],
    expected: [
      { resourceId: `${ORG2ORG}/*`, status: 'PASS' },
      { resourceId: `${SCIM}/${BOB}`, status: 'FAIL' },
    ],
  },
];

describe(RULE, () => {
  ruleTable(RULE, cases);

  it('names the app user and the failed push', () => {
    const [finding] = findingsOf(RULE, build(failedPush(BOB)));
    expect(finding.severity).toBe('critical');
    expect(finding.resource).toEqual({ type: 'app_user', id: `${ORG2ORG}/${BOB}`, name: `${LABEL}: bob@acme.com` });
    expect(finding.message).toContain('may still be active in "Okta Org2Org (hub)"');
    expect(finding.evidence).toMatchObject({ oktaUserStatus: 'DEPROVISIONED', failedPushes: 1 });
  });
});
