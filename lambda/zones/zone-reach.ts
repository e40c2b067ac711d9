import type { IncludeExclude, NetworkZone } from '../domain/inventory';
import { type AddressRange, coverage, parseAddressRange, share } from './ip-ranges';

// What one network zone named in a token's `include` lets through. A zone admits "any address"
// when its gateways cover most of the address space: at least half (WIDE_SHARE) of the IPv4
// addresses, or of the IPv6 internet (2000::/3). Half is where choosing a source address stops
// being a hurdle: 0.0.0.0/1 or 128.0.0.0/1 alone already holds most clouds and VPN exits.
// A dynamic zone admits any address when it includes no location and no ASN: a proxy type or
// an IP service category (Tor, VPNs) is open to anyone who uses that service.

export const WIDE_SHARE = 0.5;

export type ZoneReach =
  | { kind: 'missing'; id: string }
  | { kind: 'inactive'; zone: NetworkZone }
  | { kind: 'wide'; zone: NetworkZone; why: string; widestRange: string | null }
  | { kind: 'bounded'; zone: NetworkZone; admits: string }
  | { kind: 'unknown'; zone: NetworkZone; why: string };

/** 0.5 -> "50%", 0.0000152 -> "0.00152%". */
export function percent(fraction: number): string {
  return `${Number((fraction * 100).toPrecision(3))}%`;
}

function list(values: IncludeExclude, what: string): string | null {
  const parts: string[] = [];
  if (values.include.length > 0) parts.push(`${what} ${values.include.join(', ')}`);
  if (values.exclude.length > 0) parts.push(`not ${what} ${values.exclude.join(', ')}`);
  return parts.length > 0 ? parts.join('; ') : null;
}

function dynamicReach(zone: NetworkZone): ZoneReach {
  const conditions = [
    list(zone.locations, 'from'),
    list(zone.asns, 'ASN'),
    list(zone.ipServiceCategories, 'IP services'),
    zone.proxyType ? `proxy type ${zone.proxyType}` : null,
  ].filter((c): c is string => c !== null);
  const admits = conditions.join('; ') || 'no condition';
  if (zone.locations.include.length === 0 && zone.asns.include.length === 0) {
    return {
      kind: 'wide',
      zone,
      why: `it includes no location and no ASN, so it admits any address (${admits})`,
      widestRange: null,
    };
  }
  return { kind: 'bounded', zone, admits };
}

function ipReach(zone: NetworkZone): ZoneReach {
  const gateways = zone.gateways ?? [];
  const parsed: { text: string; range: AddressRange }[] = [];
  const unreadable: string[] = [];
  for (const text of gateways) {
    const range = parseAddressRange(text);
    if (range) parsed.push({ text, range });
    else unreadable.push(text);
  }
  const ranges = parsed.map((p) => p.range);
  const v4 = coverage(ranges, 4);
  const v6 = coverage(ranges, 6);
  const widest = parsed.reduce<{ text: string; share: number } | null>((best, p) => {
    const s = share(p.range);
    return best && best.share >= s ? best : { text: p.text, share: s };
  }, null);
  if (v4 >= WIDE_SHARE || v6 >= WIDE_SHARE) {
    const covered = v4 >= WIDE_SHARE ? `${percent(v4)} of all IPv4 addresses` : `${percent(v6)} of the IPv6 internet`;
    return { kind: 'wide', zone, why: `its gateways cover ${covered}`, widestRange: widest?.text ?? null };
  }
  if (unreadable.length > 0) {
    return { kind: 'unknown', zone, why: `its gateways ${unreadable.join(', ')} are not addresses this scanner reads` };
  }
  return { kind: 'bounded', zone, admits: gateways.length > 0 ? gateways.join(', ') : 'no gateway address' };
}

/** The reach of zone `id` in this org's zones. */
export function zoneReach(id: string, zones: ReadonlyMap<string, NetworkZone>): ZoneReach {
  const zone = zones.get(id);
  if (!zone) return { kind: 'missing', id };
  if (zone.status !== 'ACTIVE') return { kind: 'inactive', zone };
  if (zone.type === 'IP') return ipReach(zone);
  if (zone.type === 'DYNAMIC' || zone.type === 'DYNAMIC_V2') return dynamicReach(zone);
  return { kind: 'unknown', zone, why: `its type "${zone.type}" is not one this scanner knows` };
}
