import { decodeCursor } from '../test/fake-okta/paging';
import { ROUTES, type RouteContext } from '../test/fake-okta/routes';
import { type FilterExpr, parseFilter } from '../test/fake-okta/scim-filter';
import type { FakeApp, FakeGroup, FakeOrgFixture, Json } from '../test/fake-okta/types';

// The fake server scans org.users linearly for every user lookup, user search and app user:
// fine for the demo, but on 100,000 users its CPU time (seconds per scan phase, multiplied by
// the time scale) would swamp the rate-limit waits the benchmark measures. This narrows what a
// route handler sees to the records that can match, using indexes built once, and then runs the
// server's own handler unchanged: same filters, paging, views and errors, so the same replies.
// Installed only in the benchmark's server process. Better done inside the fake server itself.

function disjunctionOfIds(expr: FilterExpr, into: string[]): boolean {
  if (expr.kind === 'or') return disjunctionOfIds(expr.left, into) && disjunctionOfIds(expr.right, into);
  if (expr.kind === 'compare' && expr.attr === 'id' && expr.op === 'eq' && typeof expr.value === 'string') {
    into.push(expr.value.toLowerCase());
    return true;
  }
  return false;
}

export function installIndexedRoutes(org: FakeOrgFixture): void {
  // Case-insensitive like the server's string compares; positions keep the fixture's order.
  const byLowerId = new Map<string, number[]>();
  const byId = new Map<string, Json>();
  org.users.forEach((user, i) => {
    const id = String(user.id);
    byId.set(id, user);
    const key = id.toLowerCase();
    const list = byLowerId.get(key);
    if (list) list.push(i);
    else byLowerId.set(key, [i]);
  });
  // A user's groups, each with that user as its only member: the handlers test membership with
  // members.includes(), which on "Everyone" walks 100,000 ids per call.
  const groupsByUser = new Map<string, FakeGroup[]>();
  for (const group of org.groups) {
    for (const member of group.members) {
      const own = { ...group, members: [member] };
      const list = groupsByUser.get(member);
      if (list) list.push(own);
      else groupsByUser.set(member, [own]);
    }
  }
  const apps = new Map<string, FakeApp>(org.apps.map((a) => [String(a.app.id), a]));

  const narrow = (pattern: string, view: (ctx: RouteContext) => Partial<FakeOrgFixture> | null): void => {
    const route = ROUTES.find((r) => r.pattern.source === pattern);
    if (!route) throw new Error(`bench: the fake server has no route ${pattern}`);
    const handle = route.handle;
    route.handle = (ctx) => {
      const narrowed = view(ctx);
      return handle(narrowed ? { ...ctx, org: { ...ctx.org, ...narrowed } } : ctx);
    };
  };

  const oneUser = (ctx: RouteContext): Partial<FakeOrgFixture> | null => {
    const user = byId.get(ctx.params.id);
    // Not an id (a login, a short name): the handler searches everyone.
    return user ? { users: [user], groups: groupsByUser.get(String(user.id)) ?? [] } : null;
  };
  narrow('^\\/api\\/v1\\/users\\/(?<id>[^/]+)$', oneUser);
  narrow('^\\/api\\/v1\\/users\\/(?<id>[^/]+)\\/groups$', oneUser);
  narrow('^\\/api\\/v1\\/users\\/(?<id>[^/]+)\\/roles$', oneUser);
  narrow('^\\/api\\/v1\\/users$', (ctx) => {
    const search = ctx.query.get('search');
    if (!search) return null;
    let expr: FilterExpr;
    try {
      expr = parseFilter(search);
    } catch {
      return null; // the handler answers the syntax error
    }
    const ids: string[] = [];
    if (!disjunctionOfIds(expr, ids)) return null;
    const positions = [...new Set(ids.flatMap((id) => byLowerId.get(id) ?? []))].sort((a, b) => a - b);
    return { users: positions.map((i) => org.users[i]) };
  });
  // Tokens up to the end of the page asked for, plus one so the handler still sees there are more.
  narrow('^\\/api\\/v1\\/api-tokens$', (ctx) => {
    if (ctx.query.get('q')) return null;
    const after = ctx.query.get('after');
    const offset = after ? decodeCursor(after) : 0;
    const limit = Number(ctx.query.get('limit') || 20);
    if (offset === null || !Number.isInteger(limit) || limit < 1) return null;
    return { apiTokens: org.apiTokens.slice(0, offset + Math.min(limit, 200) + 1) };
  });
  narrow('^\\/api\\/v1\\/apps\\/(?<id>[^/]+)\\/users$', (ctx) => {
    const app = apps.get(ctx.params.id);
    if (!app) return null;
    const users = (app.users ?? []).map((au) => byId.get(String(au.id))).filter((u): u is Json => u !== undefined);
    return { apps: [app], users };
  });
}
