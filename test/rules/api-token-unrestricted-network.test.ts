import { describe, expect, it } from 'vitest';
import {
  build,
  type Edit,
  findingsOf,
  type Row,
  rows,
  TOKEN,
  withSourceFailed,
  withToken,
} from '../support/inventory-builder';

const RULE = 'api-token-unrestricted-network';

const cases: { name: string; edits: Edit[]; expected: Row[] }[] = [
  { name: 'a token restricted to zones passes', edits: [], expected: [{ resourceId: TOKEN, status: 'PASS' }] },
  {
    name: 'a token usable from anywhere fails',
    edits: [withToken({ network: { connection: 'ANYWHERE', include: [], exclude: [] } })],
    expected: [{ resourceId: TOKEN, status: 'FAIL' }],
  },
  {
    name: 'a token with no network condition fails',
    edits: [withToken({ network: null })],
    expected: [{ resourceId: TOKEN, status: 'FAIL' }],
  },
  {
    name: 'a token with a network condition but no connection fails',
    edits: [withToken({ network: { connection: null, include: [], exclude: [] } })],
    expected: [{ resourceId: TOKEN, status: 'FAIL' }],
  },
  {
    name: 'a connection value the scanner does not know is unknown',
    edits: [withToken({ network: { connection: 'SOMETHING_NEW', include: [], exclude: [] } })],
    expected: [{ resourceId: TOKEN, status: 'UNKNOWN' }],
  },
  {
    name: 'a failed token list gives one unknown row',
    edits: [withSourceFailed('apiTokens')],
    expected: [{ resourceId: 'api-tokens/*', status: 'UNKNOWN' }],
  },
];

describe(RULE, () => {
  it.each(cases)('$name', ({ edits, expected }) => {
    expect(rows(RULE, build(...edits))).toEqual(expected);
  });

  it('carries the zones in the evidence', () => {
    const [finding] = findingsOf(RULE, build());
    expect(finding.evidence).toMatchObject({ networkConnection: 'ZONE', includedZones: ['nzoofficezone0001'] });
  });
});
