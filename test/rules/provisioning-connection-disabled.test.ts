import { describe, expect, it } from 'vitest';
import {
  addApp,
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

const RULE = 'provisioning-connection-disabled';
const SCIM = '0oascimapp00000001';

const cases: RuleCase[] = [
  { name: 'an enabled connection passes', edits: [], expected: [{ resourceId: ORG2ORG, status: 'PASS' }] },
  {
    name: 'a disabled connection fails',
    edits: [withApp({ connection: { available: true, status: 'DISABLED', authScheme: 'OAUTH2', baseUrl: null } })],
    expected: [{ resourceId: ORG2ORG, status: 'FAIL' }],
  },
  {
    name: 'a connection Okta reports as UNKNOWN is unknown',
    edits: [withApp({ connection: { available: true, status: 'UNKNOWN', authScheme: 'UNKNOWN', baseUrl: null } })],
    expected: [{ resourceId: ORG2ORG, status: 'UNKNOWN' }],
  },
  {
    name: 'a connection that could not be read is unknown',
    edits: [withApp({ connection: null }), withSourceFailed('provisioning')],
    expected: [{ resourceId: ORG2ORG, status: 'UNKNOWN' }],
  },
  {
    name: 'an app Okta exposes no connection for is not judged (no row, not a pass)',
    edits: [addApp({ id: SCIM, label: 'Acme SCIM', connection: { available: false } })],
    expected: [{ resourceId: ORG2ORG, status: 'PASS' }],
  },
  {
    name: 'an inactive app is not judged',
    edits: [
      withApp({
        status: 'INACTIVE',
        connection: { available: true, status: 'DISABLED', authScheme: 'TOKEN', baseUrl: null },
      }),
    ],
    expected: [],
  },
  {
    name: 'a failed provisioning read makes a would-be pass unknown',
    edits: [withSourceFailed('provisioning')],
    expected: [{ resourceId: ORG2ORG, status: 'UNKNOWN' }],
  },
  {
    name: 'an Org2Org app used for sign-in only is not judged on its default DISABLED connection (issue 18)',
    edits: [asSignInOnly()],
    expected: [],
  },
  {
    name: 'an Org2Org app used for import only is not judged (issue 18)',
    edits: [
      asImportOnly(),
      withApp({ connection: { available: true, status: 'DISABLED', authScheme: 'TOKEN', baseUrl: null } }),
    ],
    expected: [],
  },
  {
    name: 'a DISABLED connection of an app whose push settings could not be read is unknown',
    edits: [
      withApp({
        features: [],
        userProvisioning: null,
        featuresAvailable: null,
        connection: { available: true, status: 'DISABLED', authScheme: 'TOKEN', baseUrl: null },
      }),
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

  it('names the app and what stops', () => {
    const [finding] = findingsOf(
      RULE,
      build(withApp({ connection: { available: true, status: 'DISABLED', authScheme: 'OAUTH2', baseUrl: null } })),
    );
    expect(finding.resource).toEqual({ type: 'app_provisioning', id: ORG2ORG, name: 'Okta Org2Org (hub)' });
    expect(finding.message).toContain('is DISABLED');
    expect(finding.remediation).toContain('reconcile');
  });
});
