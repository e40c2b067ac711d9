// The report's references to the resources rules judge, and the facts every row about them carries.

import type { ResourceRef } from '../../domain/finding';
import type {
  AdAgent,
  AgentPool,
  ApiToken,
  Inventory,
  LogEntity,
  ProvisioningApp,
  WorkflowsConnection,
} from '../../domain/inventory';
import { usageEvidence } from './token-usage';

/** The report's reference to an API token. */
export function tokenResource(token: ApiToken): ResourceRef {
  return { type: 'api_token', id: token.id, name: token.name };
}

/** Facts every token finding carries; agent tokens (clientName other than "Okta API") say so. */
export function tokenEvidence(token: ApiToken, inventory: Inventory): Record<string, unknown> {
  return {
    clientName: token.clientName,
    agentToken: token.clientName !== 'Okta API',
    ownerUserId: token.userId,
    created: token.created,
    expiresAt: token.expiresAt,
    ...usageEvidence(inventory, token),
  };
}

/** The AD agents of a pool (Okta sets the type on the pool, the agent, or both). */
export function adAgentsOf(pool: AgentPool): AdAgent[] {
  return pool.agents.filter((a) => a.type.toUpperCase() === 'AD' || pool.type.toUpperCase() === 'AD');
}

/** The report's reference to an AD agent. */
export function agentResource(agent: AdAgent): ResourceRef {
  return { type: 'ad_agent', id: agent.id, name: agent.name };
}

/** The report's reference to a Workflows connection (live, or ended within the log window). */
export function workflowsResource(connection: Pick<WorkflowsConnection, 'id' | 'name'>): ResourceRef {
  return { type: 'workflows_connection', id: connection.id, name: connection.name };
}

/** The report's reference to an app's provisioning. */
export function appResource(app: ProvisioningApp): ResourceRef {
  return { type: 'app_provisioning', id: app.id, name: app.label };
}

/** The per-app row of an app_user rule when it found no failing user: `<appId>/*`. */
export function allAppUsers(app: { id: string; label: string }): ResourceRef {
  return { type: 'app_user', id: `${app.id}/*`, name: `${app.label}: all users` };
}

/** The target of a System Log event with this type, e.g. the AppInstance or the User. */
export function targetOfType(targets: readonly LogEntity[], type: string): LogEntity | undefined {
  return targets.find((t) => t.type.toLowerCase() === type.toLowerCase());
}
