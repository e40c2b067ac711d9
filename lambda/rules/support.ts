// Helpers shared by the rule files: phrasing, source checks and the conventions for rows that
// stand for more than one resource.

import { DEPENDENCY_KINDS, DEPENDENCY_SOURCES, type Dependency, dependencies } from '../domain/dependencies';
import {
  ALL_RESOURCES,
  type FindingOwner,
  RESOURCE_TYPES,
  type ResourceRef,
  type ResourceType,
} from '../domain/finding';
import {
  type ApiToken,
  describeFailure,
  failedSource,
  type Inventory,
  type LogEntity,
  type ProvisioningApp,
  type SourceName,
  type WorkflowsConnection,
} from '../domain/inventory';
import type { OwnerClassification, RuleContext, RuleResult } from '../domain/rule';

// The engine needs these too, so they live in the domain; the rules keep taking them from here.
export { ALL_RESOURCES } from '../domain/finding';
export { describeFailure, type FailedSource, failedSource, tokenLabel } from '../domain/inventory';

/** One UNKNOWN row for the whole rule when the list of resources itself could not be read. */
export function listUnreadable(
  inventory: Inventory,
  source: SourceName,
  type: ResourceType,
  what: string,
): RuleResult[] | null {
  const failure = failedSource(inventory, source);
  if (!failure) return null;
  return [
    {
      status: 'UNKNOWN',
      resource: ALL_RESOURCES[type],
      owner: null,
      message: `${what} could not be checked: ${describeFailure(failure)}.`,
      evidence: { unreadSource: failure.source, reason: failure.reason, requiredScope: failure.requiredScope },
    },
  ];
}

/** The report's owner shape (the classification without the raw user record). */
export function toOwner(classification: OwnerClassification, fallback?: LogEntity | null): FindingOwner {
  return {
    id: classification.id,
    login: classification.login ?? fallback?.alternateId ?? null,
    status: classification.status,
    kind: classification.kind,
    signals: [...classification.signals],
  };
}

/** "alice@acme.com, a person", for the one-sentence messages. */
export function ownerPhrase(owner: FindingOwner, missing = false): string {
  const name = owner.login ?? owner.id;
  if (missing) return `${name}, who no longer exists in Okta`;
  if (owner.kind === 'human') return `${name}, a person`;
  if (owner.kind === 'service') return `${name}, a service account`;
  return `${name}, who could not be classified (${owner.signals[owner.signals.length - 1] ?? 'no data'})`;
}

export function isActive(owner: OwnerClassification): boolean {
  return owner.user !== null && owner.status === 'ACTIVE';
}

/** Okta's UI says "deactivated" for DEPROVISIONED. */
export function statusPhrase(status: string): string {
  return status === 'DEPROVISIONED' ? 'DEPROVISIONED (deactivated)' : status;
}

/** Days covered by the inventory's System Log window, for "not seen in the last N days". */
export function logWindowDays(inventory: Inventory): number {
  const ms = Date.parse(inventory.logWindow.until) - Date.parse(inventory.logWindow.since);
  return Number.isFinite(ms) ? Math.round(ms / 86_400_000) : 0;
}

/** The target of a System Log event with this type, e.g. the AppInstance or the User. */
export function targetOfType(targets: readonly LogEntity[], type: string): LogEntity | undefined {
  return targets.find((t) => t.type.toLowerCase() === type.toLowerCase());
}

/** The report's reference to an API token. */
export function tokenResource(token: ApiToken): ResourceRef {
  return { type: 'api_token', id: token.id, name: token.name };
}

/** Facts every token finding carries; agent tokens (clientName other than "Okta API") say so. */
export function tokenEvidence(token: ApiToken): Record<string, unknown> {
  return {
    clientName: token.clientName,
    agentToken: token.clientName !== 'Okta API',
    ownerUserId: token.userId,
    created: token.created,
    expiresAt: token.expiresAt,
  };
}

export const REFERENCES = {
  apiTokens: 'https://help.okta.com/en-us/Content/Topics/security/api.htm',
  networkZones: 'https://developer.okta.com/docs/api/openapi/okta-management/management/tag/NetworkZone/',
  serviceApp: 'https://developer.okta.com/docs/guides/implement-oauth-for-okta-serviceapp/main/',
  adAgentOAuth: 'https://support.okta.com/help/s/article/ad-agent-changes-using-oauth-2-0',
  adAgentSuperAdmin:
    'https://support.okta.com/help/s/article/What-is-the-impact-of-revoking-the-Super-Admin-role-on-the-AD-Agent-Okta-Service-Account',
  workflowsAuthorize: 'https://support.okta.com/help/s/article/How-to-Authorize-an-Okta-Connection-in-Okta-Workflows',
  workflowsDeactivate:
    'https://support.okta.com/help/s/article/the-impact-of-deactivating-a-user-that-authored-a-workflow-or-created-a-connection-in-okta-workflows',
  adminDeactivated:
    'https://support.okta.com/help/s/article/Application-Functionality-Breaks-When-an-Admin-is-Deactivated',
  provisioningConnection:
    'https://developer.okta.com/docs/api/openapi/okta-management/management/tag/ApplicationConnections/',
  applicationFeatures:
    'https://developer.okta.com/docs/api/openapi/okta-management/management/tag/ApplicationFeatures/',
  appUsers: 'https://developer.okta.com/docs/api/openapi/okta-management/management/tag/ApplicationUsers/',
  eventTypes: 'https://developer.okta.com/docs/reference/api/event-types/',
  org2org: 'https://help.okta.com/en/prod/Content/Topics/Provisioning/org2org/org2org-integrate.htm',
  agentPools: 'https://developer.okta.com/docs/api/openapi/okta-management/management/tag/AgentPools/',
  userStatus: 'https://help.okta.com/en-us/Content/Topics/users-groups-profiles/usgp-end-user-states.htm',
  tokenAfterPasswordReset:
    'https://support.okta.com/help/s/article/api-token-validity-after-an-okta-admin-password-reset',
  invalidToken: 'https://support.okta.com/help/s/article/HTTP-401-Okta-E0000011-Invalid-Token-provided-error',
  userProfile: 'https://developer.okta.com/docs/api/openapi/okta-management/management/tag/User/',
} as const;

/** What both Workflows rules judge: a live connection, its authorizer and the report's resource. */
export interface WorkflowsSubject {
  connection: WorkflowsConnection;
  classification: OwnerClassification;
  owner: FindingOwner;
  resource: ResourceRef;
}

/**
 * The frame of the Workflows rules: one UNKNOWN row when the System Log could not be read, a
 * verdict per live connection from `judge`, and a PASS per connection deleted or revoked within
 * the log window (what resolves its findings, since a connection absent from a scan may only have
 * been authorized before the window).
 */
export function evaluateWorkflowsConnections(
  inventory: Inventory,
  ctx: RuleContext,
  judge: (subject: WorkflowsSubject) => RuleResult,
): RuleResult[] {
  const unreadable = listUnreadable(
    inventory,
    'workflowsEvents',
    'workflows_connection',
    'Workflows connections (known only from the System Log)',
  );
  if (unreadable) return unreadable;
  const live = inventory.workflowsConnections.map((connection) => {
    const classification = ctx.classifyOwner(connection.lastAuthorizedBy.id);
    return judge({
      connection,
      classification,
      owner: toOwner(classification, connection.lastAuthorizedBy),
      resource: { type: 'workflows_connection', id: connection.id, name: connection.name },
    });
  });
  const ended = (inventory.endedWorkflowsConnections ?? []).map(
    (connection): RuleResult => ({
      status: 'PASS',
      resource: { type: 'workflows_connection', id: connection.id, name: connection.name },
      owner: null,
      message: `Workflows connection "${connection.name}" was ${connection.eventType.endsWith('.revoke') ? 'revoked' : 'deleted'} on ${connection.endedAt.slice(0, 10)}: it no longer acts as anyone.`,
      evidence: { endedAt: connection.endedAt, eventType: connection.eventType },
    }),
  );
  return [...live, ...ended];
}

/** The report's reference to an app's provisioning. */
export function appResource(app: ProvisioningApp): ResourceRef {
  return { type: 'app_provisioning', id: app.id, name: app.label };
}

/** The per-app row of an app_user rule when it found no failing user: `<appId>/*`. */
export function allAppUsers(app: { id: string; label: string }): ResourceRef {
  return { type: 'app_user', id: `${app.id}/*`, name: `${app.label}: all users` };
}

/** What the owner rules judge: one integration, the account it runs on and that account's classification. */
export interface DependencySubject {
  dependency: Dependency;
  classification: OwnerClassification;
  owner: FindingOwner;
}

/**
 * The frame of the rules about the account an integration runs on: one UNKNOWN row per kind of
 * integration whose list (or whose account) could not be read, and a verdict from `judge` for
 * every integration of the other kinds.
 */
export function evaluateDependencies(
  inventory: Inventory,
  ctx: RuleContext,
  judge: (subject: DependencySubject) => RuleResult,
): RuleResult[] {
  const unreadable = new Set<string>();
  const rows: RuleResult[] = [];
  for (const kind of DEPENDENCY_KINDS) {
    const failure = failedSource(inventory, ...DEPENDENCY_SOURCES[kind]);
    if (!failure) continue;
    unreadable.add(kind);
    rows.push({
      status: 'UNKNOWN',
      resource: ALL_RESOURCES[kind],
      owner: null,
      message: `The accounts ${RESOURCE_TYPES[kind].plural} run on could not be checked: ${describeFailure(failure)}.`,
      evidence: { unreadSource: failure.source, reason: failure.reason, requiredScope: failure.requiredScope },
    });
  }
  for (const dependency of dependencies(inventory)) {
    if (unreadable.has(dependency.resource.type)) continue;
    const classification = ctx.classifyOwner(dependency.userId);
    rows.push(judge({ dependency, classification, owner: toOwner(classification, dependency.entity) }));
  }
  return rows;
}
