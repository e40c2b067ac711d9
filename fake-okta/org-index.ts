import type { FilterExpr } from './scim-filter';
import type { FakeGroup, FakeOrgFixture, Json } from './types';

// Lookups the route handlers would otherwise do by scanning the fixture: on a 100,000-user org a
// scan per user lookup (and members.includes over "Everyone" per group read) costs milliseconds
// a call. Tests change the fixture between requests (replace arrays or groups, push users or members), so
// each index remembers the arrays and lengths it was built from and is rebuilt when they differ.

interface UserIndex {
  users: Json[];
  length: number;
  /** The first user with each id, as Array.find would return. */
  byId: Map<string, Json>;
  /** Positions of the users whose id matches case-insensitively, in fixture order. */
  byLowerId: Map<string, number[]>;
}

interface MembershipIndex {
  groups: FakeGroup[];
  /** Each group, its members array and that array's length when indexed. */
  seen: { group: FakeGroup; members: string[]; length: number }[];
  /** A user's groups, in fixture order. */
  byUser: Map<string, FakeGroup[]>;
}

const userIndexes = new WeakMap<FakeOrgFixture, UserIndex>();
const membershipIndexes = new WeakMap<FakeOrgFixture, MembershipIndex>();

function userIndex(org: FakeOrgFixture): UserIndex {
  const cached = userIndexes.get(org);
  if (cached && cached.users === org.users && cached.length === org.users.length) return cached;
  const byId = new Map<string, Json>();
  const byLowerId = new Map<string, number[]>();
  org.users.forEach((user, i) => {
    if (typeof user.id !== 'string') return;
    if (!byId.has(user.id)) byId.set(user.id, user);
    const key = user.id.toLowerCase();
    const list = byLowerId.get(key);
    if (list) list.push(i);
    else byLowerId.set(key, [i]);
  });
  const index = { users: org.users, length: org.users.length, byId, byLowerId };
  userIndexes.set(org, index);
  return index;
}

function membershipIndex(org: FakeOrgFixture): MembershipIndex {
  const cached = membershipIndexes.get(org);
  if (
    cached &&
    cached.groups === org.groups &&
    cached.seen.length === org.groups.length &&
    cached.seen.every((s, i) => {
      const group = org.groups[i];
      return s.group === group && s.members === group.members && s.length === group.members.length;
    })
  ) {
    return cached;
  }
  const byUser = new Map<string, FakeGroup[]>();
  for (const group of org.groups) {
    for (const member of group.members) {
      const list = byUser.get(member);
      if (!list) byUser.set(member, [group]);
      else if (list[list.length - 1] !== group) list.push(group); // a member listed twice
    }
  }
  const seen = org.groups.map((g) => ({ group: g, members: g.members, length: g.members.length }));
  const index = { groups: org.groups, seen, byUser };
  membershipIndexes.set(org, index);
  return index;
}

/** The first user whose id is exactly `id`. */
export function userById(org: FakeOrgFixture, id: string): Json | undefined {
  return userIndex(org).byId.get(id);
}

/** The groups that list the user as a member, in fixture order. */
export function groupsOfUser(org: FakeOrgFixture, userId: string): FakeGroup[] {
  return membershipIndex(org).byUser.get(userId) ?? [];
}

function idsOfDisjunction(expr: FilterExpr, into: string[]): boolean {
  if (expr.kind === 'or') return idsOfDisjunction(expr.left, into) && idsOfDisjunction(expr.right, into);
  if (expr.kind === 'compare' && expr.attr === 'id' && expr.op === 'eq' && typeof expr.value === 'string') {
    into.push(expr.value.toLowerCase());
    return true;
  }
  return false;
}

/**
 * The users a filter made only of `id eq "…"` clauses joined by `or` matches (case-insensitively,
 * like matchesFilter), in fixture order; null for any other filter.
 */
export function usersMatchingIds(org: FakeOrgFixture, expr: FilterExpr): Json[] | null {
  const ids: string[] = [];
  if (!idsOfDisjunction(expr, ids)) return null;
  const index = userIndex(org);
  const positions = [...new Set(ids.flatMap((id) => index.byLowerId.get(id) ?? []))].sort((a, b) => a - b);
  return positions.map((i) => org.users[i]);
}
