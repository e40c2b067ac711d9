import { classifyOwner } from './classify-owner';
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
import { logWindowDays } from './rules/support/sources';
import { usageOf, usagePhrase } from './rules/support/token-usage';

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

/** An integration that runs on the user's account: what breaks, and what to do first. */
interface Dependent {
  resource: ResourceRef;
  what: string;
  firstStep: string;
}

function tokenDependents(inventory: Inventory, userId: string): Dependent[] {
  return inventory.apiTokens
    .filter((token) => token.userId === userId)
    .map((token) => {
      const usage = usagePhrase(usageOf(inventory, token), logWindowDays(inventory));
      return {
        resource: tokenResource(token),
        what: usage
          ? `${tokenLabel(token)} stops working: Okta rejects tokens whose owner is not active, so the integration ${usage} fails.`
          : `${tokenLabel(token)} stops working: Okta rejects tokens whose owner is not active, so whatever calls the API with it fails.`,
        firstStep: `Create a replacement token while signed in as a service account (or move the integration to an OAuth 2.0 service app), switch the integration to it, then revoke "${token.name}".`,
      };
    });
}

function agentDependents(inventory: Inventory, userId: string): Dependent[] {
  return (
    inventory.agentPools
      .flatMap((pool) => pool.agents)
      .filter((agent) => inventory.agentRegistrations[agent.id]?.actor?.id === userId)
      // Agents from 3.18.0 register with OAuth 2.0 and do not depend on their installer.
      .filter((agent) => isTokenBasedAgentVersion(agent.version))
      .map((agent) => ({
        resource: agentResource(agent),
        what: `AD agent "${agent.name}" (version ${agent.version ?? 'unknown'}) loses the API token it runs on and stops: imports, provisioning and delegated authentication through it stop, and the agent must be reinstalled.`,
        firstStep: `Upgrade the agent to 3.18.0 or later (it registers with OAuth 2.0 and no longer depends on an admin) before deactivating the user.`,
      }))
  );
}

function workflowsDependents(inventory: Inventory, userId: string): Dependent[] {
  return inventory.workflowsConnections
    .filter((connection) => connection.lastAuthorizedBy.id === userId)
    .map((connection) => ({
      resource: workflowsResource(connection),
      what: connection.usage
        ? `Workflows connection "${connection.name}" can no longer act: every flow that uses it fails (it made ${connection.usage.eventCount} logged change${connection.usage.eventCount === 1 ? '' : 's'} as this user, the last on ${connection.usage.lastUsedAt.slice(0, 10)}).`
        : `Workflows connection "${connection.name}" can no longer act: every flow that uses it fails.`,
      firstStep: 'Reauthorize the connection in Okta Workflows > Connections while signed in as a service account.',
    }));
}

function provisioningDependents(inventory: Inventory, userId: string): Dependent[] {
  return (
    inventory.provisioningApps
      .filter((app) => inventory.provisioningAuthorizations[app.id]?.actor?.id === userId)
      // Editing an app whose connection is not in use (Org2Org for sign-in only) authorizes nothing.
      .filter((app) => usesProvisioningConnection(app) !== false)
      .map((app) => {
        const lost =
          pushesUsers(app) === false
            ? 'users are no longer imported from it'
            : 'new users, updates and deactivations are no longer pushed';
        return {
          resource: appResource(app),
          what: `Provisioning to "${app.label}" may stop once the credentials this user authorized stop working: ${lost}.`,
          firstStep: `Re-authenticate the provisioning connection of "${app.label}" (Provisioning > Integration) as a service account, then reconcile the app's users.`,
        };
      })
  );
}

/** One impact per resource, naming the rules with a finding on it (or those that would judge it). */
function impactsOf(dependents: readonly Dependent[], findings: readonly Finding[]): WhatIfImpact[] {
  const impacts = new Map<string, WhatIfImpact>();
  for (const { resource, what, firstStep } of dependents) {
    const key = `${resource.type}\u0000${resource.id}`;
    if (impacts.has(key)) continue;
    const dependentRules = dependencyRules(resource.type);
    const fromFindings = findings
      .filter((f) => f.resource.type === resource.type && f.resource.id === resource.id)
      .map((f) => f.ruleId);
    const ruleIds = [...new Set(fromFindings.length > 0 ? fromFindings : dependentRules)].sort();
    impacts.set(key, { resource, ruleIds, what, firstStep, severity: mostSevere(dependentRules) });
  }
  return [...impacts.values()].sort(
    (a, b) =>
      severityRank(a.severity) - severityRank(b.severity) ||
      a.resource.type.localeCompare(b.resource.type) ||
      a.resource.name.localeCompare(b.resource.name),
  );
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
  const dependents = [
    ...tokenDependents(inventory, userId),
    ...agentDependents(inventory, userId),
    ...workflowsDependents(inventory, userId),
    ...provisioningDependents(inventory, userId),
  ];
  return { user: answerUser, found: true, impacts: impactsOf(dependents, findings) };
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
