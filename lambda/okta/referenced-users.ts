import type { Inventory } from '../domain/inventory';

// Which users a scan reads: the people the other sources name as owners or authorizers, and
// the users whose status alone matters. Pure, so the choice is testable without Okta.

export interface ReferencedUsers {
  /** Sorted user ids (or anything getUser accepts). */
  userIds: string[];
  /** Logins, read by login search (what-if names people by login). */
  logins: string[];
}

function userId(entity: { id: string; type: string } | null | undefined): string | null {
  return entity && entity.type === 'User' && entity.id ? entity.id : null;
}

/**
 * The users that tokens, Workflows connections, provisioning authorizations and the installers
 * of token-based AD agents name, plus the extra users asked for. `runsOnToken` tells an AD
 * agent version whose installer matters.
 */
export function referencedUsers(
  inventory: Inventory,
  extraUsers: readonly string[],
  runsOnToken: (agentVersion: string | null) => boolean,
): ReferencedUsers {
  const ids = new Set<string>();
  for (const token of inventory.apiTokens) if (token.userId) ids.add(token.userId);
  for (const connection of inventory.workflowsConnections) {
    const id = userId(connection.lastAuthorizedBy);
    if (id) ids.add(id);
  }
  for (const event of Object.values(inventory.provisioningAuthorizations)) {
    const id = userId(event.actor);
    if (id) ids.add(id);
  }
  for (const agent of inventory.agentPools.flatMap((pool) => pool.agents)) {
    if (!runsOnToken(agent.version)) continue;
    const id = userId(inventory.agentRegistrations[agent.id]?.actor);
    if (id) ids.add(id);
  }
  const logins: string[] = [];
  for (const extra of extraUsers) {
    // Okta user ids never contain "@"; logins usually do. Anything else is tried as an id,
    // and getUser also accepts a login when the id search finds nothing.
    if (extra.includes('@')) logins.push(extra);
    else ids.add(extra);
  }
  return { userIds: [...ids].sort(), logins };
}

/**
 * Users Okta may have failed to deprovision (app users in sync error, failed deactivation
 * pushes): only their status matters, so they are read without their groups and roles. Sorted.
 */
export function statusOnlyUserIds(inventory: Inventory): string[] {
  const found = new Set<string>();
  for (const app of inventory.provisioningApps) for (const user of app.usersInError ?? []) found.add(user.userId);
  for (const event of inventory.deactivationPushFailures) {
    for (const target of event.target) if (target.type === 'User' && target.id) found.add(target.id);
  }
  return [...found].sort();
}
