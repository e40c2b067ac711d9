import { describe, expect, it } from 'vitest';
import type { Severity } from '../../lambda/domain/finding';
import {
  build,
  type Edit,
  findingsOf,
  type Row,
  type RuleCase,
  ruleTable,
  SVC,
  TOKEN,
  withSourceFailed,
  withSourceSkipped,
  withToken,
  withUser,
  withZones,
  ZONE,
  zone,
} from '../support/inventory-builder';

const RULE = 'api-token-unrestricted-network';

const includes = (...ids: string[]): Edit => withToken({ network: { connection: 'ZONE', include: ids, exclude: [] } });
const ipZone = (id: string, ...gateways: string[]) => zone({ id, name: `zone ${id}`, gateways });
/** The token allowed only in one IP zone with these gateways. */
const onGateways = (...gateways: string[]): Edit[] => [withZones(ipZone('nzowide', ...gateways)), includes('nzowide')];
const superAdmin = (assignmentType: 'USER' | 'GROUP'): Edit =>
  withUser(SVC, { roles: [{ type: 'SUPER_ADMIN', label: 'Super Administrator', status: 'ACTIVE', assignmentType }] });

type SeverityRow = Row & { severity: Severity };
const row = (status: Row['status'], severity: Severity = 'low'): SeverityRow[] => [
  { resourceId: TOKEN, status, severity },
];

const cases: RuleCase[] = [
  { name: 'a token allowed only in a bounded active IP zone passes', edits: [], expected: row('PASS') },
  {
    name: 'a token usable from anywhere fails',
    edits: [withToken({ network: { connection: 'ANYWHERE', include: [], exclude: [] } })],
    expected: row('FAIL'),
  },
  { name: 'a token with no network condition fails', edits: [withToken({ network: null })], expected: row('FAIL') },
  {
    name: 'a token with a network condition but no connection fails',
    edits: [withToken({ network: { connection: null, include: [], exclude: [] } })],
    expected: row('FAIL'),
  },
  {
    name: 'a connection value the scanner does not know is unknown',
    edits: [withToken({ network: { connection: 'SOMETHING_NEW', include: [], exclude: [] } })],
    expected: row('UNKNOWN'),
  },
  {
    name: 'an exclude-only token (ZONE without include) fails',
    edits: [withToken({ network: { connection: 'ZONE', include: [], exclude: ['nzoblocked'] } })],
    expected: row('FAIL'),
  },
  { name: 'a zone of 0.0.0.0/0 fails', edits: onGateways('0.0.0.0/0'), expected: row('FAIL') },
  { name: 'a zone of ::/0 fails', edits: onGateways('::/0'), expected: row('FAIL') },
  { name: 'a zone of the whole IPv6 internet (2000::/3) fails', edits: onGateways('2000::/3'), expected: row('FAIL') },
  { name: 'a zone of exactly half of IPv4 (0.0.0.0/1) fails', edits: onGateways('0.0.0.0/1'), expected: row('FAIL') },
  {
    name: 'a zone whose ranges together cover most of IPv4 fails',
    edits: onGateways('0.0.0.0/2', '64.0.0.0-127.255.255.255', '10.0.0.0/8'),
    expected: row('FAIL'),
  },
  { name: 'a zone of a range over most of IPv4 fails', edits: onGateways('1.0.0.0-200.0.0.0'), expected: row('FAIL') },
  {
    name: 'a zone just under half of IPv4 (a /2 and a /3) passes',
    edits: onGateways('0.0.0.0/2', '64.0.0.0/3'),
    expected: row('PASS'),
  },
  { name: 'a zone of one IPv6 /32 passes', edits: onGateways('2001:db8::/32'), expected: row('PASS') },
  {
    name: 'a zone with a gateway the scanner cannot read is unknown',
    edits: onGateways('10.0.0.0/8', 'office-router'),
    expected: row('UNKNOWN'),
  },
  {
    name: 'a zone with no gateways (like BlockedIpZone) admits nothing and passes',
    edits: [
      withZones(zone({ id: 'nzoempty', name: 'BlockedIpZone', gateways: null, system: true })),
      includes('nzoempty'),
    ],
    expected: row('PASS'),
  },
  { name: 'a token allowed only in a deleted zone fails', edits: [includes('nzogone')], expected: row('FAIL') },
  { name: 'a deleted zone beside a bounded one passes', edits: [includes('nzogone', ZONE)], expected: row('PASS') },
  {
    name: 'a wide zone beside a bounded one fails: the include list is a union',
    edits: [withZones(ipZone('nzowide', '0.0.0.0/0')), includes(ZONE, 'nzowide')],
    expected: row('FAIL'),
  },
  {
    name: 'a token allowed only in an INACTIVE zone is unknown',
    edits: [withZones(zone({ id: ZONE, name: 'Office', gateways: ['198.51.100.0/24'], status: 'INACTIVE' }))],
    expected: row('UNKNOWN'),
  },
  {
    name: 'an INACTIVE zone beside a bounded active one passes',
    edits: [withZones(zone({ id: 'nzooff', name: 'Old office', status: 'INACTIVE' })), includes('nzooff', ZONE)],
    expected: row('PASS'),
  },
  {
    name: 'a DYNAMIC zone of countries passes',
    edits: [
      withZones(
        zone({
          id: 'nzodyn',
          name: 'US',
          type: 'DYNAMIC',
          gateways: null,
          locations: { include: ['US'], exclude: [] },
        }),
      ),
      includes('nzodyn'),
    ],
    expected: row('PASS'),
  },
  {
    name: 'a DYNAMIC zone of ASNs passes',
    edits: [
      withZones(
        zone({ id: 'nzoasn', name: 'AS', type: 'DYNAMIC', gateways: null, asns: { include: ['2232'], exclude: [] } }),
      ),
      includes('nzoasn'),
    ],
    expected: row('PASS'),
  },
  {
    name: 'a DYNAMIC zone of only a proxy type (Tor) fails: anyone can use Tor',
    edits: [
      withZones(zone({ id: 'nzotor', name: 'Tor', type: 'DYNAMIC', gateways: null, proxyType: 'TorAnonymizer' })),
      includes('nzotor'),
    ],
    expected: row('FAIL'),
  },
  {
    name: 'a DYNAMIC_V2 zone that only excludes countries fails',
    edits: [
      withZones(
        zone({
          id: 'nzov2',
          name: 'Not CN',
          type: 'DYNAMIC_V2',
          gateways: null,
          locations: { include: [], exclude: ['CN'] },
        }),
      ),
      includes('nzov2'),
    ],
    expected: row('FAIL'),
  },
  {
    name: 'unreadable zones make a zone token unknown',
    edits: [withSourceFailed('zones')],
    expected: row('UNKNOWN'),
  },
  {
    name: 'zones not read (an inventory from before zones) make a zone token unknown',
    edits: [withSourceSkipped('zones')],
    expected: row('UNKNOWN'),
  },
  {
    name: 'unreadable zones still fail an ANYWHERE token',
    edits: [withSourceFailed('zones'), withToken({ network: { connection: 'ANYWHERE', include: [], exclude: [] } })],
    expected: row('FAIL'),
  },
  {
    name: 'unreadable zones still fail an exclude-only token',
    edits: [withSourceFailed('zones'), withToken({ network: { connection: 'ZONE', include: [], exclude: ['nzob'] } })],
    expected: row('FAIL'),
  },
  {
    name: 'a Super Administrator’s unrestricted token is medium',
    edits: [superAdmin('USER'), withToken({ network: null })],
    expected: row('FAIL', 'medium'),
  },
  {
    name: 'SUPER_ADMIN through a group is medium too',
    edits: [superAdmin('GROUP'), includes('nzogone')],
    expected: row('FAIL', 'medium'),
  },
  {
    name: 'owner roles that could not be read rate a fail medium (the worse case)',
    edits: [withSourceFailed('ownerRoles'), withUser(SVC, { roles: null }), withToken({ network: null })],
    expected: row('FAIL', 'medium'),
  },
  {
    name: 'owner roles that could not be read leave a pass a pass',
    edits: [withSourceFailed('ownerRoles'), withUser(SVC, { roles: null })],
    expected: row('PASS', 'medium'),
  },
  {
    name: 'a failed token list gives one unknown row',
    edits: [withSourceFailed('apiTokens')],
    expected: [{ resourceId: 'api-tokens/*', status: 'UNKNOWN', severity: 'low' }],
  },
];

describe(RULE, () => {
  ruleTable(RULE, cases);

  it('names the wide zone and its widest range', () => {
    const [finding] = findingsOf(RULE, build(...onGateways('203.0.113.0/24', '0.0.0.0/0')));
    expect(finding.message).toContain('zone "zone nzowide"');
    expect(finding.message).toContain('widest range 0.0.0.0/0');
    expect(finding.evidence).toMatchObject({
      zones: [{ id: 'nzowide', name: 'zone nzowide', reach: 'wide', widestRange: '0.0.0.0/0' }],
    });
  });

  it('says what a DYNAMIC zone admits', () => {
    const dynamic = zone({
      id: 'nzodyn',
      name: 'US and DE',
      type: 'DYNAMIC',
      locations: { include: ['US', 'DE'], exclude: [] },
    });
    const [finding] = findingsOf(RULE, build(withZones(dynamic), includes('nzodyn')));
    expect(finding.status).toBe('PASS');
    expect(finding.evidence).toMatchObject({ zones: [{ name: 'US and DE', reach: 'bounded', admits: 'from US, DE' }] });
  });

  it('names the scope to grant when zones could not be read', () => {
    const [finding] = findingsOf(RULE, build(withSourceFailed('zones')));
    expect(finding.message).toContain('okta.networkZones.read');
  });

  it('says why a token on an INACTIVE zone is not judged', () => {
    const inactive = zone({ id: ZONE, name: 'Office', gateways: ['198.51.100.0/24'], status: 'INACTIVE' });
    const [finding] = findingsOf(RULE, build(withZones(inactive)));
    expect(finding.message).toContain('Okta does not document');
  });
});
