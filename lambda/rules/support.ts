// Helpers shared by the rule files: phrasing, source checks and the conventions for rows that
// stand for more than one resource.

import type { FindingOwner, ResourceRef, ResourceType } from '../domain/finding';
import type {
  ApiToken,
  Inventory,
  LogEntity,
  ProvisioningApp,
  SourceName,
  WorkflowsConnection,
} from '../domain/inventory';
import type { OwnerClassification, RuleContext, RuleResult } from '../domain/rule';

/**
 * The resource a rule reports on when it cannot list its resources at all (the listing source
 * failed, or the rule threw). Per-app rows of app_user rules use `<appId>/*` the same way.
 */
export const ALL_RESOURCES: Readonly<Record<ResourceType, ResourceRef>> = {
  api_token: { type: 'api_token', id: 'api-tokens/*', name: 'API tokens' },
  ad_agent: { type: 'ad_agent', id: 'ad-agents/*', name: 'AD agents' },
  workflows_connection: { type: 'workflows_connection', id: 'workflows/*', name: 'Workflows connections' },
  app_provisioning: { type: 'app_provisioning', id: 'apps/*', name: 'Provisioning apps' },
  app_user: { type: 'app_user', id: 'apps/*', name: 'Users of provisioning apps' },
};

export interface FailedSource {
  source: SourceName;
  reason: string;
  requiredScope: string;
}

/** The first of `sources` that could not be read, if any. Skipped sources are not failures. */
export function failedSource(inventory: Inventory, ...sources: SourceName[]): FailedSource | null {
  for (const source of sources) {
    const state = inventory.sources[source];
    if (state?.status === 'failed') return { source, reason: state.reason, requiredScope: state.requiredScope };
  }
  return null;
}

export function describeFailure(failure: FailedSource): string {
  return `${failure.source} could not be read (${failure.reason}; needs ${failure.requiredScope})`;
}

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

/** Dotted numeric version ("3.17.0.123") as numbers; null when any segment is not a number. */
export function parseVersion(version: string | null): number[] | null {
  if (version === null) return null;
  const match = /^\s*v?(\d+(?:\.\d+)*)\s*$/i.exec(version);
  if (!match) return null;
  return match[1].split('.').map(Number);
}

/** Compares segment by segment as numbers (3.9.1 < 3.18.0); missing segments count as 0. */
export function compareVersions(a: readonly number[], b: readonly number[]): number {
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const diff = (a[i] ?? 0) - (b[i] ?? 0);
    if (diff !== 0) return Math.sign(diff);
  }
  return 0;
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

/** `API token "SIEM export"`, or `agent token "…" (client "Okta AD Agent")` for agent tokens. */
export function tokenLabel(token: ApiToken): string {
  return token.clientName === 'Okta API'
    ? `API token "${token.name}"`
    : `API token "${token.name}" (client "${token.clientName}")`;
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
