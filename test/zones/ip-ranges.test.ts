import { describe, expect, it } from 'vitest';
import { type AddressRange, coverage, parseAddressRange } from '../../lambda/zones/ip-ranges';

// Zone addresses as Okta writes them (test/data/okta-recordings/zones/): CIDR with host bits
// ("1.2.3.4/24"), ranges ("2.3.4.5-2.3.4.15"), IPv4 and IPv6.

const range = (text: string): AddressRange => {
  const parsed = parseAddressRange(text);
  if (!parsed) throw new Error(`not parsed: ${text}`);
  return parsed;
};
const span = (text: string): bigint => range(text).last - range(text).first + 1n;

describe('parseAddressRange', () => {
  it.each([
    ['1.2.3.4/24', 256n],
    ['10.0.0.0/8', 16_777_216n],
    ['2.3.4.5-2.3.4.15', 11n],
    ['203.0.113.7', 1n],
    ['0.0.0.0/0', 4_294_967_296n],
    ['2001:db8::/32', 2n ** 96n],
    ['::/0', 2n ** 128n],
    ['::ffff:1.2.3.0-::ffff:1.2.3.255', 256n],
    ['2001:db8::1-2001:db8::ff', 255n],
  ])('%s spans %s addresses', (text, size) => {
    expect(span(text)).toBe(size);
  });

  it('masks host bits off a CIDR, as Okta accepts them', () => {
    expect(range('1.2.3.4/24')).toEqual(range('1.2.3.0-1.2.3.255'));
  });

  it.each([
    'office-router',
    '',
    '10.0.0.0/33',
    '10.0.0.9-10.0.0.1',
    '10.0.0.1-2001:db8::1',
    '300.1.1.1',
    'fe80::1%eth0',
  ])('refuses %j', (text) => {
    expect(parseAddressRange(text)).toBeNull();
  });
});

describe('coverage', () => {
  it('counts overlapping ranges once', () => {
    expect(coverage([range('0.0.0.0/1'), range('0.0.0.0/2'), range('64.0.0.0/2')], 4)).toBe(0.5);
  });

  it('measures IPv6 against the IPv6 internet (2000::/3)', () => {
    expect(coverage([range('2000::/3')], 6)).toBe(1);
    expect(coverage([range('::/0')], 6)).toBe(1);
    expect(coverage([range('fc00::/7')], 6)).toBe(0);
    expect(coverage([range('2000::/4')], 6)).toBe(0.5);
  });

  it('keeps a small zone above zero', () => {
    expect(coverage([range('198.51.100.0/24')], 4)).toBeGreaterThan(0);
    expect(coverage([range('198.51.100.0/24')], 6)).toBe(0);
  });
});
