import { describe, expect, it } from 'vitest';
import type { Verdict } from '../../lambda/domain/finding';
import {
  build,
  type Edit,
  findingsOf,
  type Row,
  rows,
  SVC,
  TOKEN,
  withSourceFailed,
  withToken,
  withUser,
  withZones,
  zone,
} from '../support/inventory-builder';

// Prowler's published test cases for its two Okta API-token checks, replayed as data through our
// rules (prowler-cloud/prowler, tests/providers/okta/services/api_token/: apitoken_not_super_admin
// and apitoken_restricted_to_network_zone, snapshot 3e000faa of 2026-08-21). Each row restates one
// Prowler test: its input, Prowler's verdict, and ours. Prowler's MANUAL ("could not check") is our
// UNKNOWN. Where the verdicts differ on purpose, `differs` says why. The last rows are cases
// Prowler's tests do not have, with the verdict Prowler's check logic gives them.

type ProwlerVerdict = 'PASS' | 'FAIL' | 'MANUAL' | 'no finding';

interface ProwlerCase {
  check: 'apitoken_not_super_admin' | 'apitoken_restricted_to_network_zone';
  test: string;
  prowler: ProwlerVerdict;
  edits: Edit[];
  ours: Row[];
  /** The scope a "could not check" row must name. */
  names?: string;
  differs?: string;
}

const RULE_FOR: Record<ProwlerCase['check'], string> = {
  apitoken_not_super_admin: 'api-token-owner-super-admin',
  apitoken_restricted_to_network_zone: 'api-token-unrestricted-network',
};

const noTokens: Edit = (inv) => {
  inv.apiTokens = [];
};
const ownerRoles = (...types: string[]): Edit =>
  withUser(SVC, {
    roles: types.map((type) => ({ type, label: type, status: 'ACTIVE', assignmentType: 'USER' })),
  });
const rolesUnread: Edit[] = [withSourceFailed('ownerRoles'), withUser(SVC, { roles: null })];
const network = (connection: string, include: string[], exclude: string[] = []): Edit =>
  withToken({ network: { connection, include, exclude } });
const corp = withZones(zone({ id: 'nzo-corp', name: 'Corp', gateways: ['198.51.100.0/24'] }));
const token = (status: Verdict): Row[] => [{ resourceId: TOKEN, status }];
const allTokens: Row[] = [{ resourceId: 'api-tokens/*', status: 'UNKNOWN' }];

const CASES: ProwlerCase[] = [
  // apitoken_not_super_admin
  {
    check: 'apitoken_not_super_admin',
    test: 'no tokens returns no findings',
    prowler: 'no finding',
    edits: [noTokens],
    ours: [],
  },
  {
    check: 'apitoken_not_super_admin',
    test: 'missing api token scope is manual',
    prowler: 'MANUAL',
    edits: [withSourceFailed('apiTokens')],
    ours: allTokens,
    names: 'okta.apiTokens.read',
  },
  {
    check: 'apitoken_not_super_admin',
    test: 'missing user roles scope is manual',
    prowler: 'MANUAL',
    edits: rolesUnread,
    ours: token('UNKNOWN'),
    names: 'okta.roles.read',
  },
  {
    check: 'apitoken_not_super_admin',
    test: 'token owner without super admin passes',
    prowler: 'PASS',
    edits: [ownerRoles('READ_ONLY_ADMIN')],
    ours: token('PASS'),
  },
  {
    check: 'apitoken_not_super_admin',
    test: 'token owner with super admin fails',
    prowler: 'FAIL',
    edits: [ownerRoles('SUPER_ADMIN')],
    ours: token('FAIL'),
  },
  {
    check: 'apitoken_not_super_admin',
    test: 'missing groups scope adds best effort caveat on pass',
    prowler: 'PASS',
    edits: rolesUnread,
    ours: token('UNKNOWN'),
    names: 'okta.roles.read',
    differs:
      'Prowler passes on the direct roles alone, with a caveat. We read /users/{id}/roles, which includes roles held through groups (assignmentType GROUP); when that read fails we cannot rule out SUPER_ADMIN, so UNKNOWN, never a PASS.',
  },
  {
    check: 'apitoken_not_super_admin',
    test: 'missing groups scope does not caveat when owner is super admin',
    prowler: 'FAIL',
    edits: [ownerRoles('SUPER_ADMIN')],
    ours: token('FAIL'),
  },
  // apitoken_restricted_to_network_zone
  {
    check: 'apitoken_restricted_to_network_zone',
    test: 'no tokens returns no findings',
    prowler: 'no finding',
    edits: [noTokens],
    ours: [],
  },
  {
    check: 'apitoken_restricted_to_network_zone',
    test: 'missing api token scope is manual',
    prowler: 'MANUAL',
    edits: [withSourceFailed('apiTokens')],
    ours: allTokens,
    names: 'okta.apiTokens.read',
  },
  {
    check: 'apitoken_restricted_to_network_zone',
    test: 'missing network zone scope is manual',
    prowler: 'MANUAL',
    edits: [withSourceFailed('zones'), network('ZONE', ['nzo-corp'])],
    ours: token('UNKNOWN'),
    names: 'okta.networkZones.read',
  },
  {
    check: 'apitoken_restricted_to_network_zone',
    test: 'missing network zone scope still fails anywhere token',
    prowler: 'FAIL',
    edits: [withSourceFailed('zones'), network('ANYWHERE', [])],
    ours: token('FAIL'),
  },
  {
    check: 'apitoken_restricted_to_network_zone',
    test: 'token restricted to known network zone passes',
    prowler: 'PASS',
    edits: [corp, network('ZONE', ['nzo-corp'])],
    ours: token('PASS'),
  },
  {
    check: 'apitoken_restricted_to_network_zone',
    test: 'token with only excluded network zone fails',
    prowler: 'FAIL',
    edits: [withZones(zone({ id: 'nzo-blocked', name: 'Blocked' })), network('ZONE', [], ['nzo-blocked'])],
    ours: token('FAIL'),
  },
  {
    check: 'apitoken_restricted_to_network_zone',
    test: 'token open to anywhere fails',
    prowler: 'FAIL',
    edits: [network('ANYWHERE', [])],
    ours: token('FAIL'),
  },
  {
    check: 'apitoken_restricted_to_network_zone',
    test: 'token restricted to unknown zone fails',
    prowler: 'FAIL',
    edits: [corp, network('ZONE', ['nzo-missing'])],
    ours: token('FAIL'),
  },
  // Not in Prowler's tests: its check passes any zone id it finds in the org.
  {
    check: 'apitoken_restricted_to_network_zone',
    test: '(beyond Prowler) token restricted to a 0.0.0.0/0 zone',
    prowler: 'PASS',
    edits: [withZones(zone({ id: 'nzo-any', name: 'Any', gateways: ['0.0.0.0/0'] })), network('ZONE', ['nzo-any'])],
    ours: token('FAIL'),
    differs: 'the zone exists but admits every IPv4 address: restricted in name only.',
  },
  {
    check: 'apitoken_restricted_to_network_zone',
    test: '(beyond Prowler) token restricted to an INACTIVE zone',
    prowler: 'PASS',
    edits: [
      withZones(zone({ id: 'nzo-off', name: 'Off', gateways: ['198.51.100.0/24'], status: 'INACTIVE' })),
      network('ZONE', ['nzo-off']),
    ],
    ours: token('UNKNOWN'),
    differs: 'Okta does not document what an inactive zone in a token condition does, so it cannot pass.',
  },
];

/** MANUAL and UNKNOWN both say "could not check". */
function sameVerdict(prowler: ProwlerVerdict, ours: Row[]): boolean {
  if (prowler === 'no finding') return ours.length === 0;
  const expected = prowler === 'MANUAL' ? 'UNKNOWN' : prowler;
  return ours.every((r) => r.status === expected);
}

describe("Prowler's API-token test cases, replayed", () => {
  it.each(CASES)('$check: $test (Prowler $prowler)', ({ check, edits, ours, names }) => {
    const inventory = build(...edits);
    expect(rows(RULE_FOR[check], inventory)).toEqual(ours);
    if (names) {
      for (const finding of findingsOf(RULE_FOR[check], inventory)) expect(finding.message).toContain(names);
    }
  });

  it('says why wherever our verdict differs from Prowler’s, and only there', () => {
    const unexplained = CASES.filter((c) => !sameVerdict(c.prowler, c.ours) && !c.differs).map((c) => c.test);
    const needless = CASES.filter((c) => sameVerdict(c.prowler, c.ours) && c.differs).map((c) => c.test);
    expect({ unexplained, needless }).toEqual({ unexplained: [], needless: [] });
  });
});
