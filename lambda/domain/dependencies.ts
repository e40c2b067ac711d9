// Which integrations depend on which account: API tokens on their owner, AD agents older than
// 3.18.0 on the admin who installed them (they run on that admin's API token), Workflows
// connections on the account that last authorized them, and provisioning connections on the
// admin who last authorized them. The people view and the owner rules read the same list.
import { isTokenBasedAgentVersion } from './ad-agent';
import type { ResourceRef, ResourceType } from './finding';
import { type Inventory, type LogEntity, type SourceName, tokenLabel } from './inventory';
import { usesProvisioningConnection } from './provisioning';

/** The kinds of integration that run on an account, in the order reports list them. */
export const DEPENDENCY_KINDS = ['api_token', 'ad_agent', 'workflows_connection', 'app_provisioning'] as const;
export type DependencyKind = (typeof DEPENDENCY_KINDS)[number] & ResourceType;

/** The sources that list each kind of integration and name the account it depends on. */
export const DEPENDENCY_SOURCES: Readonly<Record<DependencyKind, readonly SourceName[]>> = {
  api_token: ['apiTokens'],
  ad_agent: ['agentPools', 'agentEvents'],
  workflows_connection: ['workflowsEvents'],
  app_provisioning: ['apps', 'provisioningEvents'],
};

export interface Dependency {
  resource: ResourceRef & { type: DependencyKind };
  /** The account the integration runs on. */
  userId: string;
  /** How the System Log named that account, where it did (login when the user was not read). */
  entity: LogEntity | null;
  /** The integration in a sentence, e.g. `API token "SIEM export"`. */
  label: string;
  /** What to do before the account stops working. */
  firstStep: string;
}

function tokens(inventory: Inventory): Dependency[] {
  return inventory.apiTokens.map((token) => ({
    resource: { type: 'api_token', id: token.id, name: token.name },
    userId: token.userId,
    entity: null,
    label: tokenLabel(token),
    firstStep: `Create a replacement token while signed in as a service account (or move the integration to an OAuth 2.0 service app), switch the integration to it, then revoke "${token.name}".`,
  }));
}

function agents(inventory: Inventory): Dependency[] {
  return inventory.agentPools.flatMap((pool) =>
    pool.agents.flatMap((agent): Dependency[] => {
      const actor = inventory.agentRegistrations[agent.id]?.actor;
      // Agents from 3.18.0 register with OAuth 2.0 and do not depend on their installer.
      if (!actor || !isTokenBasedAgentVersion(agent.version)) return [];
      return [
        {
          resource: { type: 'ad_agent', id: agent.id, name: agent.name },
          userId: actor.id,
          entity: actor,
          label: `AD agent "${agent.name}" (version ${agent.version ?? 'unknown'})`,
          firstStep:
            'Upgrade the agent to 3.18.0 or later: it registers with OAuth 2.0 and no longer runs on an admin.',
        },
      ];
    }),
  );
}

function workflows(inventory: Inventory): Dependency[] {
  return inventory.workflowsConnections.map((connection) => ({
    resource: { type: 'workflows_connection', id: connection.id, name: connection.name },
    userId: connection.lastAuthorizedBy.id,
    entity: connection.lastAuthorizedBy,
    label: `Workflows connection "${connection.name}"`,
    firstStep: 'Reauthorize the connection in Okta Workflows > Connections while signed in as a service account.',
  }));
}

function provisioning(inventory: Inventory): Dependency[] {
  return inventory.provisioningApps.flatMap((app): Dependency[] => {
    const actor = inventory.provisioningAuthorizations[app.id]?.actor;
    // Editing an app whose connection is not in use (Org2Org for sign-in only) authorizes nothing.
    if (!actor || usesProvisioningConnection(app) === false) return [];
    return [
      {
        resource: { type: 'app_provisioning', id: app.id, name: app.label },
        userId: actor.id,
        entity: actor,
        label: `the provisioning of "${app.label}"`,
        firstStep: `Re-authenticate the provisioning connection of "${app.label}" (Provisioning > Integration) as a service account, then reconcile the app's users.`,
      },
    ];
  });
}

/** Every integration that runs on an account, with that account's id. */
export function dependencies(inventory: Inventory): Dependency[] {
  return [...tokens(inventory), ...agents(inventory), ...workflows(inventory), ...provisioning(inventory)];
}
