import { pageOf } from './paging';
import { invalidSearch, type Reply, validationFailed } from './reply';
import { comparisons, eqAnyMatcher, type FilterExpr, matchesFilter, parseFilter } from './scim-filter';
import type { Json, RouteContext } from './types';

// GET /api/v1/logs. With `until` the query is bounded: events with since <= published < until,
// sorted by published, finite pages. Without `until` it is a polling query, and like Okta's
// it always has a next link (empty pages at the end), so a client that forgets `until` never ends.

const DAY_MS = 86_400_000;
const MAX_LOOKBACK_MS = 180 * DAY_MS;

function parseTime(raw: string | null): number | null | 'invalid' {
  if (raw === null || raw === '') return null;
  const t = Date.parse(raw);
  return Number.isNaN(t) ? 'invalid' : t;
}

function keywordMatch(event: Json, q: string): boolean {
  const text = JSON.stringify(event).toLowerCase();
  return q
    .toLowerCase()
    .split(/\s+/)
    .filter(Boolean)
    .every((k) => text.includes(k));
}

export function listLogs(ctx: RouteContext): Reply {
  const since = parseTime(ctx.query.get('since'));
  const until = parseTime(ctx.query.get('until'));
  if (since === 'invalid') return validationFailed('since', 'since: not an ISO 8601 time');
  if (until === 'invalid') return validationFailed('until', 'until: not an ISO 8601 time');
  const sortOrder = ctx.query.get('sortOrder') ?? 'ASCENDING';
  if (sortOrder !== 'ASCENDING' && sortOrder !== 'DESCENDING') {
    return validationFailed('sortOrder', 'sortOrder: must be ASCENDING or DESCENDING');
  }
  const polling = until === null;
  const upper = until ?? ctx.now;
  const lowerBound = since ?? upper - 7 * DAY_MS;
  if (upper - lowerBound > MAX_LOOKBACK_MS) {
    return validationFailed('since', 'The since parameter is over 180 days prior to the current day.');
  }
  if (lowerBound > upper) return validationFailed('until', 'until: must not be before since');

  let expr: FilterExpr | null = null;
  const filter = ctx.query.get('filter');
  if (filter) {
    try {
      expr = parseFilter(filter);
    } catch (e) {
      return invalidSearch(`${(e as Error).message}: ${filter}`);
    }
    if (comparisons(expr).some((c) => c.attr === 'published')) {
      return invalidSearch('published cannot be filtered on; use since and until');
    }
  }
  const q = ctx.query.get('q');
  const retained = ctx.logRetained;
  const parsed = expr;
  const matches = parsed ? (eqAnyMatcher(parsed) ?? ((e: Json) => matchesFilter(parsed, e))) : () => true;

  const events = ctx.org.logs
    .filter((e) => {
      const published = Date.parse(String(e.published));
      if (retained && (published < retained.from || published > retained.to)) return false;
      if (published < lowerBound) return false;
      if (!polling && published >= upper) return false;
      return matches(e) && (!q || keywordMatch(e, q));
    })
    .sort((a, b) => {
      const diff = Date.parse(String(a.published)) - Date.parse(String(b.published));
      const order = diff !== 0 ? diff : String(a.uuid).localeCompare(String(b.uuid));
      return sortOrder === 'DESCENDING' ? -order : order;
    });
  return pageOf(events, ctx, { defaultLimit: 100, maxLimit: 1000, endless: polling });
}
