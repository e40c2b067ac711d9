import { classifyOwner } from './classify';
import { DEFAULT_CONFIG, type ScannerConfig } from './config';
import { isTokenBasedAgentVersion } from './domain/ad-agent';
import {
  type Finding,
  type Report,
  type ResourceRef,
  type ResourceType,
  type Severity,
  severityRank,
} from './domain/finding';
import { type Inventory, tokenLabel } from './domain/inventory';
import { pushesUsers, usesProvisioningConnection } from './domain/provisioning';
import type { WhatIfAnswer, WhatIfImpact, WhatIfReport } from './domain/whatif';
import { getRule, RULES } from './rules';
import { agentResource, appResource, tokenResource, workflowsResource } from './rules/support/resources';

// "What breaks if this user is deactivated?": every integration that depends on the user,
// whatever its verdict today, with the first thing to do before deactivating them.

export interface WhatIfOptions {
  /** Used to classify the user when no finding of the scan already did. */
  serviceAccounts?: ScannerConfig['serviceAccounts'];
}

/** The rules whose verdict is about the account a resource of this type depends on (`Rule.dependsOn`). */
function dependencyRules(type: ResourceType): string[] {
  return RULES.filter((r) => r.dependsOn !== undefined && r.resourceType === type).map((r) => r.id);
}

function resolveUserId(inventory: Inventory, findings: readonly Finding[], user: string): string | null {
  const wanted = user.trim();
  if (Object.hasOwn(inventory.users, wanted) || inventory.missingUserIds.includes(wanted)) return wanted;
  const lower = wanted.toLowerCase();
  const byLogin = Object.values(inventory.users).find((u) => u.login.toLowerCase() === lower);
  if (byLogin) return byLogin.id;
  const inFindings = findings.find((f) => f.owner && (f.owner.id === wanted || f.owner.login?.toLowerCase() === lower));
  if (inFindings?.owner) return inFindings.owner.id;
  // Referenced but never read (e.g. the users source failed): still answer from the inventory.
  const referenced =
    inventory.apiTokens.some((t) => t.userId === wanted) ||
    inventory.workflowsConnections.some((c) => c.lastAuthorizedBy.id === wanted) ||
    Object.values(inventory.provisioningAuthorizations).some((e) => e.actor?.id === wanted) ||
    Object.values(inventory.agentRegistrations).some((e) => e.actor?.id === wanted);
  if (referenced) return wanted;
  const byAlternateId = [
    ...inventory.workflowsConnections.map((c) => c.lastAuthorizedBy),
    ...Object.values(inventory.provisioningAuthorizations).map((e) => e.actor),
    ...Object.values(inventory.agentRegistrations).map((e) => e.actor),
  ].find((entity) => entity?.alternateId?.toLowerCase() === lower);
  return byAlternateId?.id ?? null;
}

function mostSevere(ruleIds: readonly string[]): Severity {
  const severities = ruleIds.map((id) => getRule(id)?.severity ?? 'info');
  return severities.reduce<Severity>((a, b) => (severityRank(b) < severityRank(a) ? b : a), 'info');
}

export function whatIf(
  inventory: Inventory,
  findings: readonly Finding[],
  user: string,
  options: WhatIfOptions = {},
): WhatIfAnswer {
  const userId = resolveUserId(inventory, findings, user);
  if (userId === null) return { user: null, found: false, impacts: [] };

  const classifiedInScan = findings.find((f) => f.owner?.id === userId)?.owner;
  const classified =
    classifiedInScan ?? classifyOwner(userId, inventory, options.serviceAccounts ?? DEFAULT_CONFIG.serviceAccounts);
  const answerUser = {
    id: classified.id,
    login: classified.login,
    status: classified.status,
    kind: classified.kind,
    signals: [...classified.signals],
  };

  const impacts = new Map<string, WhatIfImpact>();
  const add = (resource: ResourceRef, dependentRules: readonly string[], what: string, firstStep: string): void => {
    const key = `${resource.type}\u0000${resource.id}`;
    if (impacts.has(key)) return;
    const fromFindings = findings
      .filter((f) => f.resource.type === resource.type && f.resource.id === resource.id)
      .map((f) => f.ruleId);
    const ruleIds = [...new Set(fromFindings.length > 0 ? fromFindings : dependentRules)].sort();
    impacts.set(key, { resource, ruleIds, what, firstStep, severity: mostSevere(dependentRules) });
  };

  for (const token of inventory.apiTokens) {
    if (token.userId !== userId) continue;
    add(
      tokenResource(token),
      dependencyRules('api_token'),
      `${tokenLabel(token)} stops working: Okta rejects tokens whose owner is not active, so whatever calls the API with it fails.`,
      `Create a replacement token while signed in as a service account (or move the integration to an OAuth 2.0 service app), switch the integration to it, then revoke "${token.name}".`,
    );
  }

  for (const pool of inventory.agentPools) {
    for (const agent of pool.agents) {
      if (inventory.agentRegistrations[agent.id]?.actor?.id !== userId) continue;
      // Agents from 3.18.0 register with OAuth 2.0 and do not depend on their installer.
      if (!isTokenBasedAgentVersion(agent.version)) continue;
      add(
        agentResource(agent),
        dependencyRules('ad_agent'),
        `AD agent "${agent.name}" (version ${agent.version ?? 'unknown'}) loses the API token it runs on and stops: imports, provisioning and delegated authentication through it stop, and the agent must be reinstalled.`,
        `Upgrade the agent to 3.18.0 or later (it registers with OAuth 2.0 and no longer depends on an admin) before deactivating the user.`,
      );
    }
  }

  for (const connection of inventory.workflowsConnections) {
    if (connection.lastAuthorizedBy.id !== userId) continue;
    add(
      workflowsResource(connection),
      dependencyRules('workflows_connection'),
      `Workflows connection "${connection.name}" can no longer act: every flow that uses it fails.`,
      'Reauthorize the connection in Okta Workflows > Connections while signed in as a service account.',
    );
  }

  for (const app of inventory.provisioningApps) {
    if (inventory.provisioningAuthorizations[app.id]?.actor?.id !== userId) continue;
    // Editing an app whose connection is not in use (Org2Org for sign-in only) authorizes nothing.
    if (usesProvisioningConnection(app) === false) continue;
    const lost =
      pushesUsers(app) === false
        ? 'users are no longer imported from it'
        : 'new users, updates and deactivations are no longer pushed';
    add(
      appResource(app),
      dependencyRules('app_provisioning'),
      `Provisioning to "${app.label}" may stop once the credentials this user authorized stop working: ${lost}.`,
      `Re-authenticate the provisioning connection of "${app.label}" (Provisioning > Integration) as a service account, then reconcile the app's users.`,
    );
  }

  const sorted = [...impacts.values()].sort(
    (a, b) =>
      severityRank(a.severity) - severityRank(b.severity) ||
      a.resource.type.localeCompare(b.resource.type) ||
      a.resource.name.localeCompare(b.resource.name),
  );
  return { user: answerUser, found: true, impacts: sorted };
}

/** A what-if answer with the scan context a reader needs to trust it. */
export function whatIfReport(
  report: Report,
  inventory: Inventory,
  query: string,
  now: Date,
  answer: WhatIfAnswer,
): WhatIfReport {
  // Okta answers 404 for a user that was asked about but does not exist; with nothing depending
  // on that id, the honest answer is "no such user", not "a deleted user".
  const unknownUser =
    answer.found &&
    answer.impacts.length === 0 &&
    answer.user !== null &&
    inventory.missingUserIds.includes(answer.user.id);
  return {
    schemaVersion: 1,
    org: report.org,
    query,
    evaluatedAt: now.toISOString(),
    status: report.status,
    errors: report.errors,
    ...(unknownUser ? { user: null, found: false, impacts: [] } : answer),
  };
}
