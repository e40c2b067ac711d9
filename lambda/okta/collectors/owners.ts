import { mapLimited } from '../../concurrency';
import type { OwnerGroup, OwnerRole, OwnerUser, SourceName, SourceState } from '../../domain/inventory';
import { SOURCE_SCOPES } from '../../domain/inventory';
import { profileDates } from '../../domain/leaving';
import type { OktaClient } from '../client';
import { describeOktaError, httpStatusOf } from '../describe-okta-error';
import { readAll } from '../paging';
import { obj, type Plain, plainObject, str } from '../sdk-values';

// Okta does not document how many `or` clauses a search may hold ("an overly complex or long
// search query can result in an error"): batches stay small.
export const SEARCH_BATCH_SIZE = 20;
const USERS_AT_A_TIME = 4;

export interface OwnersRequest {
  /** User ids (or anything getUser accepts) to read. */
  userIds: readonly string[];
  /** Logins to read (what-if names people by login). */
  logins: readonly string[];
  /**
   * Users whose status alone matters (app users in sync error): no groups or roles read. When
   * they come later (a promise), the full search batches of `userIds` are read meanwhile and the
   * last partial one waits to share its search with them, so no search is added.
   */
  statusOnlyIds?: readonly string[] | Promise<readonly string[]>;
  readGroups: boolean;
  readRoles: boolean;
  /** Sees a failed user search while the scan is still probing the credentials; may throw. */
  onFirstError?: (error: unknown) => void;
}

export interface OwnersResult {
  users: Record<string, OwnerUser>;
  missingUserIds: string[];
  owners: SourceState;
  ownerGroups: SourceState;
  ownerRoles: SourceState;
}

function quoted(value: string): string {
  return `"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

function ownerUserFrom(user: Plain): OwnerUser {
  const profile = obj(user.profile) ?? {};
  return {
    id: str(user.id) ?? '',
    login: str(profile.login) ?? '',
    status: str(user.status) ?? '',
    typeId: str(obj(user.type)?.id),
    profile: {
      userType: str(profile.userType),
      email: str(profile.email),
      displayName: str(profile.displayName),
      firstName: str(profile.firstName),
      lastName: str(profile.lastName),
    },
    groups: null,
    roles: null,
    lastLogin: str(user.lastLogin),
    profileDates: profileDates(profile),
  };
}

function failedState(source: SourceName, failures: string[], what: string): SourceState {
  if (failures.length === 0) return { status: 'complete' };
  const shown = failures.slice(0, 3).join('; ');
  const more = failures.length > 3 ? `; … and ${failures.length - 3} more` : '';
  return {
    status: 'failed',
    reason: `${failures.length} ${what} read${failures.length > 1 ? 's' : ''} failed: ${shown}${more}`,
    requiredScope: SOURCE_SCOPES[source],
  };
}

/** GET /api/v1/users/{id}/groups: the groups a user is a member of. */
export async function readUserGroups(client: OktaClient, userId: string): Promise<OwnerGroup[]> {
  const groups = await readAll('user groups', await client.sdk.userApi.listUserGroups({ userId }));
  return groups.map(plainObject).map((g) => ({ id: str(g.id) ?? '', name: str(obj(g.profile)?.name) ?? '' }));
}

/** GET /api/v1/users/{id}/roles: the admin roles a user holds. */
export async function readUserRoles(client: OktaClient, userId: string): Promise<OwnerRole[]> {
  // Includes roles the user holds through a group (assignmentType GROUP): an owner who is
  // a Super Admin only through "Okta Admins" is still a Super Admin.
  const roles = await readAll('user roles', await client.sdk.roleAssignmentApi.listAssignedRolesForUser({ userId }));
  return roles.map(plainObject).map((r) => ({
    type: str(r.type) ?? '',
    label: str(r.label) ?? '',
    status: str(r.status),
    assignmentType: str(r.assignmentType),
  }));
}

/** One collectOwners call: what it was asked, and what its reads found and failed. */
interface OwnerReads {
  client: OktaClient;
  request: OwnersRequest;
  users: Record<string, OwnerUser>;
  missing: Set<string>;
  /** Users whose groups and roles are read (or being read). */
  membershipsRead: Set<string>;
  ownerFailures: string[];
  groupFailures: string[];
  roleFailures: string[];
}

/** Batched searches by id and by login; returns the users found and the values no search returned. */
async function searchUsers(
  reads: OwnerReads,
  ids: readonly string[],
  logins: readonly string[],
): Promise<{ found: OwnerUser[]; unresolved: string[] }> {
  const unresolved: string[] = [];
  const found: OwnerUser[] = [];
  const searchBatches = [
    ...chunks(ids, SEARCH_BATCH_SIZE).map((batch) => ({ batch, field: 'id' as const })),
    ...chunks(logins, SEARCH_BATCH_SIZE).map((batch) => ({ batch, field: 'profile.login' as const })),
  ];
  await mapLimited(searchBatches, USERS_AT_A_TIME, async ({ batch, field }) => {
    const search = batch.map((value) => `${field} eq ${quoted(value)}`).join(' or ');
    let results: OwnerUser[];
    try {
      results = (await readAll('users', await reads.client.sdk.userApi.listUsers({ search, limit: 200 })))
        .map(plainObject)
        .map(ownerUserFrom);
    } catch (error) {
      reads.request.onFirstError?.(error);
      reads.ownerFailures.push(
        `user search (${batch.length} users): ${describeOktaError(error, SOURCE_SCOPES.owners)}`,
      );
      return;
    }
    for (const value of batch) {
      // Okta compares search values without case: `id eq "00uAbc"` also returns 00uabc, who
      // was not asked for and stays out of the inventory.
      const hit =
        field === 'id'
          ? results.find((u) => u.id === value)
          : results.find((u) => u.login.toLowerCase() === value.toLowerCase());
      if (hit) found.push(hit);
      else unresolved.push(value);
    }
  });
  return { found, unresolved };
}

/** getUser for each value the search did not return: found, or missing on a 404. */
async function confirmUsers(reads: OwnerReads, unresolved: readonly string[], found: OwnerUser[]): Promise<void> {
  await mapLimited(unresolved, USERS_AT_A_TIME, async (value) => {
    try {
      const owner = ownerUserFrom(plainObject(await reads.client.sdk.userApi.getUser({ userId: value })));
      if (owner.id) found.push(owner);
    } catch (error) {
      if (httpStatusOf(error) === 404) reads.missing.add(value);
      else reads.ownerFailures.push(`user ${value}: ${describeOktaError(error, SOURCE_SCOPES.owners)}`);
    }
  });
}

/** The groups and roles of each owner, as asked. */
async function readMemberships(reads: OwnerReads, owners: readonly OwnerUser[]): Promise<void> {
  const { client, request } = reads;
  await mapLimited(owners, USERS_AT_A_TIME, async (owner) => {
    if (request.readGroups) {
      try {
        owner.groups = await readUserGroups(client, owner.id);
      } catch (error) {
        reads.groupFailures.push(
          `groups of ${owner.login || owner.id}: ${describeOktaError(error, SOURCE_SCOPES.ownerGroups)}`,
        );
      }
    }
    if (request.readRoles) {
      try {
        owner.roles = await readUserRoles(client, owner.id);
      } catch (error) {
        reads.roleFailures.push(
          `roles of ${owner.login || owner.id}: ${describeOktaError(error, SOURCE_SCOPES.ownerRoles)}`,
        );
      }
    }
  });
}

/** Searches for the ids and logins, confirms the ones not returned, then reads owners' groups and roles. */
async function readUsers(
  reads: OwnerReads,
  ids: readonly string[],
  logins: readonly string[],
  statusOnly: Set<string>,
): Promise<void> {
  const { found, unresolved } = await searchUsers(reads, ids, logins);
  await confirmUsers(reads, unresolved, found);
  // The two reads of collectOwners run side by side and may find the same user (by login and
  // as a status-only id): whichever answers first, an owner's groups and roles are read once, so
  // the requests do not depend on arrival order (a resumed scan step asks for the same URLs).
  const owners: OwnerUser[] = [];
  for (const user of found) {
    if (!user.id) continue;
    reads.users[user.id] ??= user;
    if (statusOnly.has(user.id) || reads.membershipsRead.has(user.id)) continue;
    reads.membershipsRead.add(user.id);
    owners.push(reads.users[user.id]);
  }
  await readMemberships(reads, owners);
}

/**
 * Reads only the users asked for (by exact id, or by login without case), never the whole
 * directory: batched `search` queries, which (unlike a plain list) also return DEPROVISIONED
 * users. Search is eventually consistent, so an id it does not return is confirmed with getUser;
 * a 404 there means the user is deleted.
 */
export async function collectOwners(client: OktaClient, request: OwnersRequest): Promise<OwnersResult> {
  const reads: OwnerReads = {
    client,
    request,
    users: {},
    missing: new Set(),
    membershipsRead: new Set(),
    ownerFailures: [],
    groupFailures: [],
    roleFailures: [],
  };
  // Sorted, so each batched search's URL depends on the ids alone, never on the order they came in.
  const ownerIds = [...new Set(request.userIds.filter((id) => id.length > 0))].sort();
  const ownerSet = new Set(ownerIds);
  const logins = [...new Set(request.logins.filter((login) => login.length > 0))];
  const deferred = request.statusOnlyIds instanceof Promise;
  // Only whole batches can go before the status-only ids are known.
  const early = deferred ? ownerIds.length - (ownerIds.length % SEARCH_BATCH_SIZE) : 0;

  const readRest = async (): Promise<void> => {
    const statusOnly = [...new Set((await request.statusOnlyIds) ?? [])]
      .filter((id) => id.length > 0 && !ownerSet.has(id))
      .sort();
    await readUsers(reads, [...ownerIds.slice(early), ...statusOnly], deferred ? [] : logins, new Set(statusOnly));
  };
  await Promise.all([
    deferred ? readUsers(reads, ownerIds.slice(0, early), logins, new Set()) : Promise.resolve(),
    readRest(),
  ]);

  return {
    users: reads.users,
    missingUserIds: [...reads.missing].sort(),
    owners: failedState('owners', reads.ownerFailures, 'owner'),
    ownerGroups: request.readGroups ? failedState('ownerGroups', reads.groupFailures, 'group') : { status: 'skipped' },
    ownerRoles: request.readRoles ? failedState('ownerRoles', reads.roleFailures, 'role') : { status: 'skipped' },
  };
}
