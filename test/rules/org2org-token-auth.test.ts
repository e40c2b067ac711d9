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

const RULE = 'org2org-token-auth';

const cases: RuleCase[] = [
  { name: 'an Org2Org app on OAuth 2.0 passes', edits: [], expected: [{ resourceId: ORG2ORG, status: 'PASS' }] },
  {
    name: 'an Org2Org app on an API token fails',
    edits: [
      withApp({
        connection: { available: true, status: 'ENABLED', authScheme: 'TOKEN', baseUrl: 'https://hub.okta.com' },
      }),
    ],
    expected: [{ resourceId: ORG2ORG, status: 'FAIL' }],
  },
  {
    name: 'an Org2Org app with an auth scheme Okta reports as UNKNOWN is unknown',
    edits: [withApp({ connection: { available: true, status: 'ENABLED', authScheme: 'UNKNOWN', baseUrl: null } })],
    expected: [{ resourceId: ORG2ORG, status: 'UNKNOWN' }],
  },
  {
    name: 'an Org2Org app whose connection could not be read is unknown',
    edits: [withApp({ connection: null }), withSourceFailed('provisioning')],
    expected: [{ resourceId: ORG2ORG, status: 'UNKNOWN' }],
  },
  {
    name: 'other apps using a token are not Org2Org and are not judged',
    edits: [
      withApp({
        name: 'zscalerbyz',
        connection: { available: true, status: 'ENABLED', authScheme: 'TOKEN', baseUrl: null },
      }),
    ],
    expected: [],
  },
  {
    name: 'an Org2Org app used for sign-in only has no credentials to judge (issue 18)',
    edits: [asSignInOnly()],
    expected: [],
  },
  {
    name: 'an Org2Org app used for sign-in only that Okta exposes no connection for is not judged (issue 18)',
    edits: [asSignInOnly(), withApp({ connection: { available: false } })],
    expected: [],
  },
  {
    name: 'an Org2Org app used for import only on an API token fails: imports run on it too',
    edits: [
      asImportOnly(),
      withApp({
        connection: { available: true, status: 'ENABLED', authScheme: 'TOKEN', baseUrl: 'https://hub.okta.com' },
      }),
    ],
    expected: [{ resourceId: ORG2ORG, status: 'FAIL' }],
  },
  {
    name: 'an Org2Org app used for import only whose connection Okta did not return is unknown',
    edits: [asImportOnly(), withApp({ connection: { available: false } })],
    expected: [{ resourceId: ORG2ORG, status: 'UNKNOWN' }],
  },
  {
    name: 'an Org2Org app with no push or import feature but an enabled token connection fails',
    edits: [
      asSignInOnly(),
      withApp({
        connection: { available: true, status: 'ENABLED', authScheme: 'TOKEN', baseUrl: 'https://hub.okta.com' },
      }),
    ],
    expected: [{ resourceId: ORG2ORG, status: 'FAIL' }],
  },
  {
    name: 'a failed app list gives one unknown row',
    edits: [withSourceFailed('apps')],
    expected: [{ resourceId: 'apps/*', status: 'UNKNOWN' }],
  },
  {
    name: 'each Org2Org app gets its own row',
    edits: [
      addApp({
        id: '0oaorg2orgspoke001',
        label: 'Okta Org2Org (spoke)',
        name: 'okta_org2org',
        connection: { available: true, status: 'ENABLED', authScheme: 'TOKEN', baseUrl: null },
      }),
    ],
    expected: [
      { resourceId: ORG2ORG, status: 'PASS' },
      { resourceId: '0oaorg2orgspoke001', status: 'FAIL' },
    ],
  },
];

describe(RULE, () => {
  ruleTable(RULE, cases);

  it('tells to switch to OAuth 2.0 with automatic key rotation', () => {
    const [finding] = findingsOf(
      RULE,
      build(withApp({ connection: { available: true, status: 'ENABLED', authScheme: 'TOKEN', baseUrl: null } })),
    );
    expect(finding.remediation).toContain('OAuth 2.0 with automatic key rotation');
  });
});
