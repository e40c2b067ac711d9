import { describe, expect, it } from 'vitest';
import {
  asImportOnly,
  asSignInOnly,
  build,
  findingsOf,
  ORG2ORG,
  type RuleCase,
  ruleTable,
  withApp,
  withSourceFailed,
} from '../support/inventory-builder';

const RULE = 'provisioning-deactivation-disabled';
const WITHOUT_DEACTIVATION = ['PUSH_NEW_USERS', 'PUSH_PROFILE_UPDATES'];

const cases: RuleCase[] = [
  { name: 'an app that pushes deactivations passes', edits: [], expected: [{ resourceId: ORG2ORG, status: 'PASS' }] },
  {
    name: 'an app with "Deactivate Users" off fails',
    edits: [
      withApp({
        features: WITHOUT_DEACTIVATION,
        userProvisioning: { status: 'ENABLED', lifecycleDeactivate: 'DISABLED' },
      }),
    ],
    expected: [{ resourceId: ORG2ORG, status: 'FAIL' }],
  },
  {
    name: 'an app whose toggle is on passes even if features omit it',
    edits: [withApp({ features: WITHOUT_DEACTIVATION })],
    expected: [{ resourceId: ORG2ORG, status: 'PASS' }],
  },
  {
    name: 'an app with no features endpoint is judged on its features list',
    edits: [withApp({ features: WITHOUT_DEACTIVATION, userProvisioning: null, featuresAvailable: false })],
    expected: [{ resourceId: ORG2ORG, status: 'FAIL' }],
  },
  {
    name: 'an app whose toggle could not be read is unknown',
    edits: [withApp({ features: WITHOUT_DEACTIVATION, userProvisioning: null }), withSourceFailed('provisioning')],
    expected: [{ resourceId: ORG2ORG, status: 'UNKNOWN' }],
  },
  {
    name: 'an Org2Org app used for sign-in only is not judged (issue 18)',
    edits: [asSignInOnly()],
    expected: [],
  },
  {
    name: 'an Org2Org app used for import only is not judged (issue 18)',
    edits: [asImportOnly()],
    expected: [],
  },
  {
    name: 'an app whose "Create Users" is on is judged even if its features list no push',
    edits: [
      withApp({
        features: [],
        userProvisioning: { status: 'ENABLED', lifecycleCreate: 'ENABLED', lifecycleDeactivate: 'DISABLED' },
      }),
    ],
    expected: [{ resourceId: ORG2ORG, status: 'FAIL' }],
  },
  {
    name: 'an app with "To App" provisioning listed but creating and deactivating off is not judged',
    edits: [
      withApp({
        features: [],
        userProvisioning: { status: 'ENABLED', lifecycleCreate: 'DISABLED', lifecycleDeactivate: 'DISABLED' },
      }),
    ],
    expected: [],
  },
  {
    name: 'an Org2Org app whose features could not be read is unknown, not skipped',
    edits: [
      withApp({ features: [], userProvisioning: null, featuresAvailable: null }),
      withSourceFailed('provisioning'),
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

  it('tells to enable "Deactivate Users"', () => {
    const [finding] = findingsOf(
      RULE,
      build(
        withApp({
          features: WITHOUT_DEACTIVATION,
          userProvisioning: { status: 'ENABLED', lifecycleDeactivate: 'DISABLED' },
        }),
      ),
    );
    expect(finding.remediation).toContain('Provisioning > To App');
    expect(finding.remediation).toContain('"Deactivate Users"');
  });
});
