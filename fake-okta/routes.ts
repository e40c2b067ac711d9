import { listLogs } from './logs';
import { groupsOfUser, userById, usersMatchingIds } from './org-index';
import { linkHeaders, pageOf, pageOffset } from './paging';
import { invalidSearch, notFound, ok, oktaError, type Reply } from './reply';
import { comparisons, type FilterExpr, matchesFilter, type Operator, parseFilter } from './scim-filter';
import type { FakeApp, FakeGroup, FakeOrgFixture, Json, RouteContext } from './types';
import { appView as appViewOf, groupLinks, userLinks } from './views';
import { getZone, listZones } from './zones';

// The read-only Management API surface the scanner uses, over the fixture, in Okta's shapes.
// Fixture objects carry no `_links`; they are added here so they point at this server.

export interface Route {
  pattern: RegExp;
  /** The OAuth scope the route needs (an SSWS token may be limited to scopes too). */
  scope: string;
  handle(ctx: RouteContext): Reply;
}

const DEFAULT_CREATED = '2024-01-15T09:00:00.000Z';

const idOf = (obj: Json): string => String(obj.id);
const profileOf = (obj: Json): Json => (obj.profile ?? {}) as Json;
const lower = (v: unknown): string => String(v ?? '').toLowerCase();

/** Parses a filter and checks it uses only what the endpoint supports; a Reply (400 E0000031) otherwise. */
function parseChecked(text: string, allowed: (attr: string, op: Operator) => boolean): FilterExpr | Reply {
  let expr: FilterExpr;
  try {
    expr = parseFilter(text);
  } catch (e) {
    return invalidSearch(`${(e as Error).message}: ${text}`);
  }
  const bad = comparisons(expr).find((c) => !allowed(c.attr, c.op));
  return bad ? invalidSearch(`Unsupported criteria: ${bad.attr} ${bad.op}`) : expr;
}

function isReply(x: FilterExpr | Reply): x is Reply {
  return 'status' in x;
}

// --- users ---

/** By id, login, or an unambiguous login short name (the part before @), as Okta resolves them. */
export function findUser(org: FakeOrgFixture, idOrLogin: string): Json | undefined {
  const wanted = idOrLogin.toLowerCase();
  return (
    userById(org, idOrLogin) ??
    org.users.find((u) => lower(profileOf(u).login) === wanted) ??
    onlyOne(org.users.filter((u) => lower(profileOf(u).login).split('@')[0] === wanted))
  );
}

function onlyOne<T>(items: T[]): T | undefined {
  return items.length === 1 ? items[0] : undefined;
}

/** In lists a user carries only `_links.self`; a single GET adds its lifecycle links. */
function userView(ctx: RouteContext, user: Json, single = false): Json {
  return { ...user, _links: user._links ?? userLinks(ctx.baseUrl, user, single) };
}

const RANGE_OPS = new Set<Operator>(['gt', 'ge', 'lt', 'le']);

const USER_FILTER_ATTRS = new Set([
  'status',
  'lastUpdated',
  'id',
  'profile.login',
  'profile.email',
  'profile.firstName',
  'profile.lastName',
]);

function listUsers(ctx: RouteContext): Reply {
  const search = ctx.query.get('search');
  const filter = ctx.query.get('filter');
  const q = ctx.query.get('q');
  let users: Json[];
  if (search) {
    // Okta's search has no `ne`; everything else goes, on any attribute.
    const expr = parseChecked(search, (_a, op) => op !== 'ne');
    if (isReply(expr)) return expr;
    users = usersMatchingIds(ctx.org, expr) ?? ctx.org.users.filter((u) => matchesFilter(expr, u));
  } else if (filter) {
    const expr = parseChecked(
      filter,
      (attr, op) => USER_FILTER_ATTRS.has(attr) && (op === 'eq' || (attr === 'lastUpdated' && RANGE_OPS.has(op))),
    );
    if (isReply(expr)) return expr;
    users = ctx.org.users.filter((u) => matchesFilter(expr, u));
  } else if (q) {
    const prefix = q.toLowerCase();
    users = ctx.org.users.filter(
      (u) =>
        u.status !== 'DEPROVISIONED' &&
        ['firstName', 'lastName', 'email'].some((k) => lower(profileOf(u)[k]).startsWith(prefix)),
    );
  } else {
    // A plain list leaves deactivated users out; search and filter include them.
    users = ctx.org.users.filter((u) => u.status !== 'DEPROVISIONED');
  }
  return pageOf(users, ctx, { defaultLimit: q && !search && !filter ? 10 : 200, maxLimit: 200 }, (u) =>
    userView(ctx, u),
  );
}

function getUser(ctx: RouteContext): Reply {
  const user = findUser(ctx.org, ctx.params.id);
  return user ? ok(userView(ctx, user, true)) : notFound(ctx.params.id, 'User');
}

function listUserGroups(ctx: RouteContext): Reply {
  const user = findUser(ctx.org, ctx.params.id);
  if (!user) return notFound(ctx.params.id, 'User');
  return ok(groupsOfUser(ctx.org, idOf(user)).map((g) => groupView(ctx, g)));
}

/** Direct roles (assignmentType USER) and the roles of the user's groups (assignmentType GROUP). */
function listUserRoles(ctx: RouteContext): Reply {
  const user = userById(ctx.org, ctx.params.id);
  if (!user) return notFound(ctx.params.id, 'User');
  const groupIds = new Set(groupsOfUser(ctx.org, idOf(user)).map((g) => g.id));
  const roles = ctx.org.roleAssignments
    .filter((r) => r.userId === idOf(user) || (r.groupId !== undefined && groupIds.has(r.groupId)))
    .map((r) => {
      const direct = r.userId === idOf(user);
      return {
        id: r.id,
        label: r.label,
        type: r.type,
        status: r.status ?? 'ACTIVE',
        created: r.created ?? DEFAULT_CREATED,
        lastUpdated: r.lastUpdated ?? r.created ?? DEFAULT_CREATED,
        assignmentType: direct ? 'USER' : 'GROUP',
        _links: {
          assignee: {
            href: direct ? `${ctx.baseUrl}/api/v1/users/${r.userId}` : `${ctx.baseUrl}/api/v1/groups/${r.groupId}`,
          },
        },
      };
    });
  return ok(roles);
}

// --- groups ---

function groupView(ctx: RouteContext, group: FakeGroup): Json {
  return {
    id: group.id,
    created: group.created ?? DEFAULT_CREATED,
    lastUpdated: group.lastUpdated ?? DEFAULT_CREATED,
    lastMembershipUpdated: group.lastMembershipUpdated ?? DEFAULT_CREATED,
    objectClass: ['okta:user_group'],
    type: group.type ?? 'OKTA_GROUP',
    profile: group.profile,
    _links: groupLinks(ctx.baseUrl, group.id),
  };
}

function listGroups(ctx: RouteContext): Reply {
  const q = ctx.query.get('q');
  const search = ctx.query.get('search');
  const filter = ctx.query.get('filter');
  let groups = ctx.org.groups.map((g) => groupView(ctx, g));
  if (search || filter) {
    const expr = search
      ? parseChecked(search, (_a, op) => op !== 'ne')
      : parseChecked(
          filter!,
          (attr, op) =>
            (op === 'eq' || (attr.startsWith('last') && RANGE_OPS.has(op))) &&
            ['id', 'type', 'lastUpdated', 'lastMembershipUpdated'].includes(attr),
        );
    if (isReply(expr)) return expr;
    groups = groups.filter((g) => matchesFilter(expr, g));
  }
  if (q) {
    // Okta: a `q` query is not paged; it returns up to 300 (or `limit`) groups whose name starts with q.
    const limit = Math.min(Number(ctx.query.get('limit')) || 300, 10_000);
    return ok(groups.filter((g) => lower(profileOf(g).name).startsWith(q.toLowerCase())).slice(0, limit));
  }
  return pageOf(groups, ctx, { defaultLimit: 10_000, maxLimit: 10_000 });
}

function getGroup(ctx: RouteContext): Reply {
  const group = ctx.org.groups.find((g) => g.id === ctx.params.id);
  return group ? ok(groupView(ctx, group)) : notFound(ctx.params.id, 'UserGroup');
}

function listGroupUsers(ctx: RouteContext): Reply {
  const group = ctx.org.groups.find((g) => g.id === ctx.params.id);
  if (!group) return notFound(ctx.params.id, 'UserGroup');
  const members = group.members.map((id) => userById(ctx.org, id)).filter((u) => u !== undefined);
  return pageOf(members, ctx, { defaultLimit: 1000, maxLimit: 10_000 }, (u) => userView(ctx, u));
}

// --- API tokens ---

function apiTokenView(ctx: RouteContext, token: Json): Json {
  const href = `${ctx.baseUrl}/api/v1/api-tokens/${idOf(token)}`;
  return {
    ...token,
    _links: token._links ?? {
      self: { href, hints: { allow: ['GET', 'DELETE'] } },
      user: { href: `${ctx.baseUrl}/api/v1/users/${String(token.userId)}`, hints: { allow: ['GET'] } },
    },
  };
}

function listApiTokens(ctx: RouteContext): Reply {
  // The current spec declares no parameters; the 2023 one had limit/after/q (default 20). Both work here.
  const q = ctx.query.get('q')?.toLowerCase();
  const tokens = ctx.org.apiTokens.filter((t) => !q || lower(t.name).includes(q) || lower(t.clientName).includes(q));
  return pageOf(tokens, ctx, { defaultLimit: 20, maxLimit: 200 }, (t) => apiTokenView(ctx, t));
}

function getApiToken(ctx: RouteContext): Reply {
  const token = ctx.org.apiTokens.find((t) => idOf(t) === ctx.params.id);
  return token ? ok(apiTokenView(ctx, token)) : notFound(ctx.params.id, 'ApiToken');
}

// --- agent pools ---

/** Up to `limitPerPoolType` pools of each type per page; the cursor is the offset within each type. */
function listAgentPools(ctx: RouteContext): Reply {
  const poolType = ctx.query.get('poolType');
  const perType = Math.max(1, Number(ctx.query.get('limitPerPoolType') ?? '5') || 5);
  const offset = pageOffset(ctx.query);
  if (typeof offset !== 'number') return offset;
  const byType = new Map<string, Json[]>();
  for (const pool of ctx.org.agentPools.filter((p) => !poolType || p.type === poolType)) {
    byType.set(String(pool.type), [...(byType.get(String(pool.type)) ?? []), pool]);
  }
  const lists = [...byType.values()];
  const page = lists.flatMap((list) => list.slice(offset, offset + perType));
  const more = lists.some((list) => list.length > offset + perType);
  return {
    status: 200,
    body: page.map((p) => ({
      ...p,
      _links: p._links ?? { self: { href: `${ctx.baseUrl}/api/v1/agentPools/${idOf(p)}` } },
    })),
    headers: { link: linkHeaders(ctx, more ? { offset: offset + perType } : null) },
  };
}

// --- apps ---

function findApp(ctx: RouteContext): FakeApp | undefined {
  return ctx.org.apps.find((a) => idOf(a.app) === ctx.params.id);
}

function appView(ctx: RouteContext, app: Json): Json {
  return appViewOf(ctx.baseUrl, app);
}

function listApps(ctx: RouteContext): Reply {
  const filter = ctx.query.get('filter');
  const q = ctx.query.get('q')?.toLowerCase();
  let apps = ctx.org.apps.map((a) => a.app).filter((a) => a.status !== 'DELETED');
  if (filter) {
    const expr = parseChecked(
      filter,
      (attr, op) =>
        op === 'eq' && ['id', 'status', 'name', 'credentials.signing.kid', 'settings.slo.enabled'].includes(attr),
    );
    if (isReply(expr)) return expr;
    apps = apps.filter((a) => matchesFilter(expr, a));
  }
  if (q) apps = apps.filter((a) => lower(a.name).startsWith(q) || lower(a.label).startsWith(q));
  // The spec's default is -1 ("server default"); Okta pages apps 20 at a time.
  return pageOf(
    apps.map((a) => appView(ctx, a)),
    ctx,
    { defaultLimit: 20, maxLimit: 200 },
  );
}

function getApp(ctx: RouteContext): Reply {
  const app = findApp(ctx);
  return app ? ok(appView(ctx, app.app)) : notFound(ctx.params.id, 'AppInstance');
}

function getConnection(ctx: RouteContext): Reply {
  const app = findApp(ctx);
  if (!app) return notFound(ctx.params.id, 'AppInstance');
  // Okta documents this endpoint for a handful of apps only; others answer 404.
  if (!app.connection) return notFound(ctx.params.id, 'AppInstance');
  const href = `${ctx.baseUrl}/api/v1/apps/${ctx.params.id}/connections/default`;
  const toggle = app.connection.status === 'ENABLED' ? 'deactivate' : 'activate';
  return ok({
    ...app.connection,
    _links: app.connection._links ?? {
      self: { href, hints: { allow: ['GET', 'POST'] } },
      [toggle]: { href: `${href}/lifecycle/${toggle}`, hints: { allow: ['POST'] } },
    },
  });
}

function listFeatures(ctx: RouteContext): Reply {
  const app = findApp(ctx);
  if (!app) return notFound(ctx.params.id, 'AppInstance');
  if (!app.features) {
    return oktaError(400, 'E0000001', 'Api validation failed: feature', [
      'Provisioning is not enabled for the app instance.',
    ]);
  }
  return ok(
    app.features.map((f) => ({
      ...f,
      _links: f._links ?? {
        self: {
          href: `${ctx.baseUrl}/api/v1/apps/${ctx.params.id}/features/${String(f.name)}`,
          hints: { allow: ['GET', 'PUT'] },
        },
      },
    })),
  );
}

function listAppUsers(ctx: RouteContext): Reply {
  const app = findApp(ctx);
  if (!app) return notFound(ctx.params.id, 'AppInstance');
  const q = ctx.query.get('q')?.toLowerCase();
  const expandUser = ctx.query.get('expand') === 'user';
  const appUsers = (app.users ?? [])
    .filter((au) => {
      if (!q) return true;
      const creds = (au.credentials ?? {}) as Json;
      const profile = profileOf(au);
      return [creds.userName, profile.email, profile.firstName, profile.lastName].some((v) => lower(v).startsWith(q));
    })
    .map((au) => {
      const user = expandUser ? userById(ctx.org, idOf(au)) : undefined;
      return {
        ...au,
        _links: au._links ?? {
          app: { href: `${ctx.baseUrl}/api/v1/apps/${ctx.params.id}` },
          user: { href: `${ctx.baseUrl}/api/v1/users/${idOf(au)}` },
        },
        ...(user ? { _embedded: { user: userView(ctx, user) } } : {}),
      };
    });
  return pageOf(appUsers, ctx, { defaultLimit: 50, maxLimit: 500 });
}

// Order matters only where patterns overlap; each is anchored.
export const ROUTES: Route[] = [
  { pattern: /^\/api\/v1\/api-tokens$/, scope: 'okta.apiTokens.read', handle: listApiTokens },
  { pattern: /^\/api\/v1\/api-tokens\/(?<id>[^/]+)$/, scope: 'okta.apiTokens.read', handle: getApiToken },
  { pattern: /^\/api\/v1\/agentPools$/, scope: 'okta.agentPools.read', handle: listAgentPools },
  { pattern: /^\/api\/v1\/users$/, scope: 'okta.users.read', handle: listUsers },
  { pattern: /^\/api\/v1\/users\/(?<id>[^/]+)$/, scope: 'okta.users.read', handle: getUser },
  { pattern: /^\/api\/v1\/users\/(?<id>[^/]+)\/groups$/, scope: 'okta.users.read', handle: listUserGroups },
  { pattern: /^\/api\/v1\/users\/(?<id>[^/]+)\/roles$/, scope: 'okta.roles.read', handle: listUserRoles },
  { pattern: /^\/api\/v1\/groups$/, scope: 'okta.groups.read', handle: listGroups },
  { pattern: /^\/api\/v1\/groups\/(?<id>[^/]+)$/, scope: 'okta.groups.read', handle: getGroup },
  { pattern: /^\/api\/v1\/groups\/(?<id>[^/]+)\/users$/, scope: 'okta.groups.read', handle: listGroupUsers },
  { pattern: /^\/api\/v1\/apps$/, scope: 'okta.apps.read', handle: listApps },
  { pattern: /^\/api\/v1\/apps\/(?<id>[^/]+)$/, scope: 'okta.apps.read', handle: getApp },
  { pattern: /^\/api\/v1\/apps\/(?<id>[^/]+)\/connections\/default$/, scope: 'okta.apps.read', handle: getConnection },
  { pattern: /^\/api\/v1\/apps\/(?<id>[^/]+)\/features$/, scope: 'okta.apps.read', handle: listFeatures },
  { pattern: /^\/api\/v1\/apps\/(?<id>[^/]+)\/users$/, scope: 'okta.apps.read', handle: listAppUsers },
  { pattern: /^\/api\/v1\/logs$/, scope: 'okta.logs.read', handle: listLogs },
  { pattern: /^\/api\/v1\/zones$/, scope: 'okta.networkZones.read', handle: listZones },
  { pattern: /^\/api\/v1\/zones\/(?<id>[^/]+)$/, scope: 'okta.networkZones.read', handle: getZone },
];

export function matchRoute(path: string): { route: Route; params: Record<string, string> } | null {
  for (const route of ROUTES) {
    const m = route.pattern.exec(path);
    if (m) {
      const params: Record<string, string> = {};
      for (const [k, v] of Object.entries(m.groups ?? {})) params[k] = decodeURIComponent(v);
      return { route, params };
    }
  }
  return null;
}
