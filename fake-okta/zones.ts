import { pageOf } from './paging';
import { invalidSearch, notFound, ok, type Reply } from './reply';
import { comparisons, type FilterExpr, matchesFilter, parseFilter } from './scim-filter';
import type { Json, RouteContext } from './types';

// GET /api/v1/zones and /api/v1/zones/{id}: the fixture's NetworkZone objects, in the shapes
// recorded from real orgs (test/data/okta-recordings/zones/), with `_links` pointing here.

const FILTER_ATTRS = new Set(['id', 'usage', 'system']);

function zoneView(ctx: RouteContext, zone: Json): Json {
  const href = `${ctx.baseUrl}/api/v1/zones/${String(zone.id)}`;
  const toggle = zone.status === 'INACTIVE' ? 'activate' : 'deactivate';
  return {
    ...zone,
    _links: zone._links ?? {
      self: { href, hints: { allow: ['GET', 'PUT', 'DELETE'] } },
      [toggle]: { href: `${href}/lifecycle/${toggle}`, hints: { allow: ['POST'] } },
    },
  };
}

/** Okta filters zones on `id`, `usage` and `system` with `eq` only. */
function zoneFilter(text: string): FilterExpr | Reply {
  let expr: FilterExpr;
  try {
    expr = parseFilter(text);
  } catch (e) {
    return invalidSearch(`${(e as Error).message}: ${text}`);
  }
  const bad = comparisons(expr).find((c) => c.op !== 'eq' || !FILTER_ATTRS.has(c.attr));
  return bad ? invalidSearch(`Unsupported criteria: ${bad.attr} ${bad.op}`) : expr;
}

export function listZones(ctx: RouteContext): Reply {
  const filter = ctx.query.get('filter');
  let zones = ctx.org.zones ?? [];
  if (filter) {
    const expr = zoneFilter(filter);
    if ('status' in expr) return expr;
    zones = zones.filter((z) => matchesFilter(expr, z));
  }
  // The spec's default limit is -1 (the server's choice) and documents no maximum.
  return pageOf(zones, ctx, { defaultLimit: 20, maxLimit: 200 }, (z) => zoneView(ctx, z));
}

export function getZone(ctx: RouteContext): Reply {
  const zone = (ctx.org.zones ?? []).find((z) => String(z.id) === ctx.params.id);
  return zone ? ok(zoneView(ctx, zone)) : notFound(ctx.params.id, 'NetworkZone');
}
