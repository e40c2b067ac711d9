import { describe, expect, it } from 'vitest';
import {
  addApp,
  build,
  type Edit,
  findingsOf,
  ORG2ORG,
  type Row,
  rows,
  withApp,
  withSourceFailed,
} from '../support/inventory-builder';

const RULE = 'org2org-token-auth';

const cases: { name: string; edits: Edit[]; expected: Row[] }[] = [
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
  it.each(cases)('$name', ({ edits, expected }) => {
    expect(rows(RULE, build(...edits))).toEqual(expected);
  });

  it('tells to switch to OAuth 2.0 with automatic key rotation', () => {
    const [finding] = findingsOf(
      RULE,
      build(withApp({ connection: { available: true, status: 'ENABLED', authScheme: 'TOKEN', baseUrl: null } })),
    );
    expect(finding.remediation).toContain('OAuth 2.0 with automatic key rotation');
  });
});
