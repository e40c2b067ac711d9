import { isIPv4, isIPv6 } from 'node:net';

// How much of the address space an IP zone's gateways admit. Okta writes zone addresses as
// CIDR ("10.0.0.0/8", host bits allowed: "1.2.3.4/24") or as a range ("2.3.4.5-2.3.4.15"),
// IPv4 or IPv6 (test/data/okta-recordings/zones/).

export interface AddressRange {
  family: 4 | 6;
  first: bigint;
  last: bigint;
}

const BITS = { 4: 32n, 6: 128n } as const;

// Only 2000::/3 (global unicast) is routed on the internet, so an IPv6 zone is measured
// against it: 2000::/3 admits every IPv6 client, though it is an eighth of ::/0.
const IPV6_INTERNET: AddressRange = { family: 6, first: 0x2n << 124n, last: (0x4n << 124n) - 1n };
const IPV4_ALL: AddressRange = { family: 4, first: 0n, last: (1n << 32n) - 1n };

function parseIPv4(text: string): bigint {
  return text.split('.').reduce((n, part) => (n << 8n) | BigInt(Number(part)), 0n);
}

function parseIPv6(text: string): bigint {
  let address = text;
  // An embedded IPv4 tail ("::ffff:1.2.3.4") stands for the last two groups.
  const v4 = /(\d+\.\d+\.\d+\.\d+)$/.exec(address);
  if (v4) {
    const n = parseIPv4(v4[1]);
    address = `${address.slice(0, -v4[1].length)}${(n >> 16n).toString(16)}:${(n & 0xffffn).toString(16)}`;
  }
  const [head, tail] = address.includes('::') ? address.split('::') : [address, null];
  const headGroups = head ? head.split(':') : [];
  const tailGroups = tail ? tail.split(':') : [];
  const zeros = tail === null ? [] : new Array<string>(8 - headGroups.length - tailGroups.length).fill('0');
  return [...headGroups, ...zeros, ...tailGroups].reduce((n, group) => (n << 16n) | BigInt(`0x${group}`), 0n);
}

function parseAddress(text: string): { family: 4 | 6; value: bigint } | null {
  const trimmed = text.trim();
  if (isIPv4(trimmed)) return { family: 4, value: parseIPv4(trimmed) };
  if (isIPv6(trimmed) && !trimmed.includes('%')) return { family: 6, value: parseIPv6(trimmed) };
  return null;
}

/** A gateway or proxy value as a range of addresses; null when it is neither CIDR, range nor address. */
export function parseAddressRange(text: string): AddressRange | null {
  const cidr = /^([^/]+)\/(\d{1,3})$/.exec(text.trim());
  if (cidr) {
    const address = parseAddress(cidr[1]);
    const prefix = BigInt(cidr[2]);
    if (!address || prefix > BITS[address.family]) return null;
    const size = 1n << (BITS[address.family] - prefix);
    const first = address.value - (address.value % size);
    return { family: address.family, first, last: first + size - 1n };
  }
  const parts = text.split('-');
  if (parts.length === 2) {
    const [from, to] = parts.map(parseAddress);
    if (!from || !to || from.family !== to.family || from.value > to.value) return null;
    return { family: from.family, first: from.value, last: to.value };
  }
  const single = parseAddress(text);
  return single ? { family: single.family, first: single.value, last: single.value } : null;
}

/** The part of the range inside its family's internet space (Math.min/max take no bigints). */
function clampToInternet(range: AddressRange): AddressRange | null {
  const space = range.family === 4 ? IPV4_ALL : IPV6_INTERNET;
  const [, first] = [range.first, space.first].sort(compareBig);
  const [last] = [range.last, space.last].sort(compareBig);
  return first <= last ? { family: range.family, first, last } : null;
}

function compareBig(a: bigint, b: bigint): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function spaceSize(family: 4 | 6): bigint {
  const space = family === 4 ? IPV4_ALL : IPV6_INTERNET;
  return space.last - space.first + 1n;
}

/** Share of the family's internet address space (0 to 1) the ranges cover together, overlaps counted once. */
export function coverage(ranges: readonly AddressRange[], family: 4 | 6): number {
  const clamped = ranges
    .filter((r) => r.family === family)
    .map(clampToInternet)
    .filter((r): r is AddressRange => r !== null)
    .sort((a, b) => compareBig(a.first, b.first));
  let covered = 0n;
  let end = -1n;
  for (const range of clamped) {
    const start = range.first > end ? range.first : end + 1n;
    if (range.last >= start) covered += range.last - start + 1n;
    if (range.last > end) end = range.last;
  }
  // Parts per 10^12 keep the fraction exact enough (one IPv4 address is 233 of them).
  return Number((covered * 10n ** 12n) / spaceSize(family)) / 1e12;
}

/** The share of its family's internet address space one range covers (0 to 1). */
export function share(range: AddressRange): number {
  return coverage([range], range.family);
}
