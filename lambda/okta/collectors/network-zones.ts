import { Collection } from '@okta/okta-sdk-nodejs';
import type { IncludeExclude, NetworkZone, SourceName } from '../../domain/inventory';
import type { OktaClient } from '../client';
import { readAll } from '../paging';
import { obj, type Plain, plainObject, str } from '../sdk-values';

/** GET /api/v1/zones (okta.networkZones.read). */
export const NETWORK_ZONE_SOURCES: readonly SourceName[] = ['zones'];

// The spec's default page size is -1 ("the server's choice") and no maximum is documented;
// 200 a page keeps even a large org to a page or two.
const PAGE_SIZE = 200;

/** `[{type, value}]` to the values; null stays null (real IP zones send `"gateways": null`). */
function addresses(value: unknown): string[] | null {
  if (!Array.isArray(value)) return null;
  return value.map((a) => str(obj(a)?.value)).filter((v): v is string => v !== null);
}

function location(value: unknown): string | null {
  const l = obj(value);
  const country = str(l?.country);
  if (!country) return null;
  const region = str(l?.region);
  return region ?? country;
}

function locations(value: unknown): string[] {
  return Array.isArray(value) ? value.map(location).filter((v): v is string => v !== null) : [];
}

function strings(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((v) => typeof v === 'string' || typeof v === 'number').map(String) : [];
}

/** DYNAMIC zones send a plain list (all included); DYNAMIC_V2 zones send `{ include, exclude }`. */
function includeExclude(value: unknown, read: (v: unknown) => string[]): IncludeExclude {
  const split = obj(value);
  if (split) return { include: read(split.include), exclude: read(split.exclude) };
  return { include: read(value), exclude: [] };
}

function toZone(z: Plain): NetworkZone {
  return {
    id: str(z.id) ?? '',
    name: str(z.name) ?? '',
    type: str(z.type) ?? '',
    status: str(z.status) ?? '',
    usage: str(z.usage),
    system: z.system === true,
    gateways: addresses(z.gateways),
    proxies: addresses(z.proxies),
    locations: includeExclude(z.locations, locations),
    asns: includeExclude(z.asns, strings),
    ipServiceCategories: includeExclude(z.ipServiceCategories, strings),
    proxyType: str(z.proxyType),
  };
}

export async function collectNetworkZones(client: OktaClient): Promise<NetworkZone[]> {
  // Read as plain JSON through the SDK's own HTTP stack (auth, retries, pacing): the SDK's
  // generated DynamicNetworkZone model turns a DYNAMIC zone's `locations` and `asns` lists into
  // empty objects, so listNetworkZones() would lose what those zones admit.
  const url = `${client.orgUrl.replace(/\/+$/, '')}/api/v1/zones?limit=${PAGE_SIZE}`;
  const collection = new Collection<unknown>(client.sdk.http as never, url);
  const zones = await readAll('network zones', collection);
  return zones.map((zone) => toZone(plainObject(zone)));
}
