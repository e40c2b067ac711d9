import { type Reply, validationFailed } from './reply';

// Cursor paging the way Okta does it: `limit` + an opaque `after`, and absolute `Link` headers
// (rel="self" and, unless this is the last page, rel="next"). The SDK follows rel="next" verbatim.

export interface PageRequest {
  baseUrl: string;
  path: string;
  query: URLSearchParams;
}

export interface PageOptions {
  defaultLimit: number;
  maxLimit: number;
  /** System Log polling: there is always a next page, possibly empty. */
  endless?: boolean;
}

const CURSOR_PREFIX = 'fk1.';

export function encodeCursor(offset: number): string {
  return CURSOR_PREFIX + Buffer.from(`offset:${offset}`).toString('base64url');
}

export function decodeCursor(after: string): number | null {
  if (!after.startsWith(CURSOR_PREFIX)) return null;
  const m = /^offset:(\d+)$/.exec(Buffer.from(after.slice(CURSOR_PREFIX.length), 'base64url').toString());
  return m ? Number(m[1]) : null;
}

/** The page size a request asked for, bounded like Okta bounds it; a Reply when it is not a number. */
export function pageLimit(
  query: URLSearchParams,
  name: string,
  defaultLimit: number,
  maxLimit: number,
): number | Reply {
  const raw = query.get(name);
  if (raw === null || raw === '') return defaultLimit;
  if (!/^-?\d+$/.test(raw)) return validationFailed(name, `${name}: must be an integer`);
  const n = Number(raw);
  if (n < 1) return defaultLimit;
  return Math.min(n, maxLimit);
}

/** Where this page starts; a Reply for a cursor the server did not issue. */
export function pageOffset(query: URLSearchParams): number | Reply {
  const after = query.get('after');
  if (!after) return 0;
  const offset = decodeCursor(after);
  return offset === null ? validationFailed('after', `after: not a cursor from a previous page`) : offset;
}

export function linkTo(req: PageRequest, query: URLSearchParams): string {
  const qs = query.toString();
  return `${req.baseUrl}${req.path}${qs ? `?${qs}` : ''}`;
}

export function linkHeaders(req: PageRequest, next: { offset: number; limit?: number } | null): string[] {
  const links = [`<${linkTo(req, req.query)}>; rel="self"`];
  if (next) {
    const q = new URLSearchParams(req.query);
    q.set('after', encodeCursor(next.offset));
    if (next.limit !== undefined) q.set('limit', String(next.limit));
    links.push(`<${linkTo(req, q)}>; rel="next"`);
  }
  return links;
}

/** One page of `items`; `view` (the item's API shape) runs on that page only. */
export function pageOf<T>(
  items: T[],
  req: PageRequest,
  options: PageOptions,
  view: (item: T) => unknown = (item) => item,
): Reply {
  const limit = pageLimit(req.query, 'limit', options.defaultLimit, options.maxLimit);
  if (typeof limit !== 'number') return limit;
  const offset = pageOffset(req.query);
  if (typeof offset !== 'number') return offset;
  const start = Math.min(offset, items.length);
  const end = Math.min(start + limit, items.length);
  const hasMore = end < items.length || options.endless === true;
  return {
    status: 200,
    body: items.slice(start, end).map(view),
    headers: { link: linkHeaders(req, hasMore ? { offset: end, limit } : null) },
  };
}
