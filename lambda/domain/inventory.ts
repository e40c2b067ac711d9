// The inventory: everything the rules may look at, as plain, serialisable data.
// Collectors produce it; rules only read it. No SDK object ever appears here, so an
// inventory can be written to a file and replayed through the rules offline.

/** One place the inventory is read from, with the OAuth scope it needs. */
export type SourceName =
  | 'apiTokens'
  | 'agentPools'
  | 'apps'
  | 'provisioning'
  | 'workflowsEvents'
  | 'provisioningEvents'
  | 'agentEvents'
  | 'apiTokenEvents'
  | 'apiTokenUsage'
  | 'owners'
  | 'ownerGroups'
  | 'ownerRoles'
  | 'zones';

export const SOURCE_SCOPES: Readonly<Record<SourceName, string>> = {
  apiTokens: 'okta.apiTokens.read',
  agentPools: 'okta.agentPools.read',
  apps: 'okta.apps.read',
  provisioning: 'okta.apps.read',
  workflowsEvents: 'okta.logs.read',
  provisioningEvents: 'okta.logs.read',
  agentEvents: 'okta.logs.read',
  apiTokenEvents: 'okta.logs.read',
  apiTokenUsage: 'okta.logs.read',
  owners: 'okta.users.read',
  ownerGroups: 'okta.users.read',
  ownerRoles: 'okta.roles.read',
  zones: 'okta.networkZones.read',
};

export const SOURCE_NAMES = Object.keys(SOURCE_SCOPES) as SourceName[];

/**
 * Sources read through another: per-app provisioning reads go through the app list, and owners'
 * groups and roles through the owners. A source is only as readable as the one it goes through.
 */
export const SOURCE_DEPENDENCIES: Readonly<Partial<Record<SourceName, SourceName>>> = {
  provisioning: 'apps',
  // The usage query names the listed tokens' ids.
  apiTokenUsage: 'apiTokens',
  ownerGroups: 'owners',
  ownerRoles: 'owners',
};

/** The sources, with those they are read through. */
export function withDependencies(sources: Iterable<SourceName>): Set<SourceName> {
  const all = new Set(sources);
  for (const source of [...all]) {
    const via = SOURCE_DEPENDENCIES[source];
    if (via) all.add(via);
  }
  return all;
}

/** A source that could not be read, and why. */
export interface FailedSource {
  source: SourceName;
  reason: string;
  requiredScope: string;
  /** The org does not have the feature: nothing could be seen, and nothing is missing either. */
  unavailable?: true;
}

/**
 * The first of `sources` that could not be read, or is not available in this org, if any:
 * either way nothing was seen, so no verdict may pass. Skipped sources are not failures.
 */
export function failedSource(inventory: Inventory, ...sources: SourceName[]): FailedSource | null {
  for (const source of sources) {
    const state = inventory.sources[source];
    if (state?.status === 'failed') return { source, reason: state.reason, requiredScope: state.requiredScope };
    if (state?.status === 'unavailable') {
      return { source, reason: state.reason, requiredScope: SOURCE_SCOPES[source], unavailable: true };
    }
  }
  return null;
}

export function describeFailure(failure: FailedSource): string {
  if (failure.unavailable) return `${failure.source} is not available in this org (${failure.reason})`;
  return `${failure.source} could not be read (${failure.reason}; needs ${failure.requiredScope})`;
}

export type SourceState =
  | { status: 'complete' }
  | { status: 'failed'; reason: string; requiredScope: string }
  /** Not read because no rule in this scan needs it. */
  | { status: 'skipped' }
  /**
   * Okta answered that the org does not have the feature (401 E0000015): nothing to read, but
   * nothing seen either, so rules that need it give UNKNOWN; the scan is not incomplete for it.
   */
  | { status: 'unavailable'; reason: string };

export interface ApiToken {
  id: string;
  name: string;
  /** The user who created the token and on whose behalf it acts. */
  userId: string;
  /** "Okta API" for tokens made in the Admin Console; agent tokens carry other names. Kept raw. */
  clientName: string;
  created: string | null;
  lastUpdated: string | null;
  /** 30 days after last use; Okta revokes the token then. */
  expiresAt: string | null;
  tokenWindow: string | null;
  network: { connection: string | null; include: string[]; exclude: string[] } | null;
}

/** `API token "SIEM export"`, or `API token "…" (client "Okta AD Agent")` for agent tokens. */
export function tokenLabel(token: ApiToken): string {
  return token.clientName === 'Okta API'
    ? `API token "${token.name}"`
    : `API token "${token.name}" (client "${token.clientName}")`;
}

/** Include and exclude lists of a DYNAMIC_V2 zone (a DYNAMIC zone only includes). */
export interface IncludeExclude {
  include: string[];
  exclude: string[];
}

/** A network zone, reduced to what decides which addresses it admits. */
export interface NetworkZone {
  id: string;
  name: string;
  /** IP, DYNAMIC or DYNAMIC_V2; kept raw. */
  type: string;
  /** ACTIVE or INACTIVE. */
  status: string;
  /** POLICY or BLOCKLIST. */
  usage: string | null;
  system: boolean;
  /** IP zones: CIDR ("10.0.0.0/8") or range ("a-b") values as Okta sends them; null when Okta sends null. */
  gateways: string[] | null;
  proxies: string[] | null;
  /** Dynamic zones: countries or regions ("US", "US-CA"). */
  locations: IncludeExclude;
  asns: IncludeExclude;
  /** DYNAMIC_V2: IP services (VPNs, proxies). */
  ipServiceCategories: IncludeExclude;
  /** DYNAMIC: "", NotTorAnonymizer, TorAnonymizer, ... */
  proxyType: string | null;
}

export interface AdAgent {
  id: string;
  name: string;
  poolId: string;
  type: string;
  operationalStatus: string;
  version: string | null;
  /** ISO time of the agent's last connection, from Okta's epoch milliseconds. */
  lastConnection: string | null;
  isLatestGAedVersion: boolean | null;
}

export interface AgentPool {
  id: string;
  name: string;
  type: string;
  operationalStatus: string;
  agents: AdAgent[];
}

/** Connection state of an app's default provisioning connection. */
export type ProvisioningConnection =
  | { available: true; status: string; authScheme: string; baseUrl: string | null }
  /** Okta documents this endpoint for a handful of apps only; others answer 400/404. */
  | { available: false };

export interface UserProvisioningFeature {
  status: string;
  /**
   * The "Create Users" toggle (`capabilities.create.lifecycleCreate`): with it, Okta pushes users
   * even when `Application.features` lists no PUSH_* value. Absent in inventories saved before it was read.
   */
  lifecycleCreate?: string | null;
  /** The "Deactivate Users" toggle. */
  lifecycleDeactivate: string | null;
}

export interface AppUserInError {
  userId: string;
  status: string;
  syncState: string;
  userName: string | null;
}

/**
 * An active app that may provision users (any Org2Org app, or one whose `features` push users),
 * with what was read about its provisioning. Whether it pushes or imports users is derived from
 * these fields (`domain/provisioning.ts`): an Org2Org app may be used for sign-in only.
 */
export interface ProvisioningApp {
  id: string;
  name: string;
  label: string;
  status: string;
  signOnMode: string | null;
  /** `Application.features`, e.g. PUSH_NEW_USERS, PUSH_USER_DEACTIVATION. */
  features: string[];
  /** null: the read failed (see sources.provisioning). */
  connection: ProvisioningConnection | null;
  /** null: the read failed or Okta has no features endpoint for this app (see featuresAvailable). */
  userProvisioning: UserProvisioningFeature | null;
  featuresAvailable: boolean | null;
  /** App users whose syncState is ERROR; null: the read failed, or not read as the app pushes no users. */
  usersInError: AppUserInError[] | null;
}

/** The subset of a System Log actor or target the rules use. */
export interface LogEntity {
  id: string;
  type: string;
  alternateId: string | null;
  displayName: string | null;
}

/** A System Log event reduced to what the rules use. */
export interface LogEventSummary {
  uuid: string;
  published: string;
  eventType: string;
  outcome: { result: string | null; reason: string | null };
  actor: LogEntity | null;
  target: LogEntity[];
}

/**
 * A System Log event reduced to what usage evidence needs: who acted, through which client, and
 * with which API token (`transaction.detail.requestApiTokenId`, the LogTransaction schema in
 * test/data/okta-openapi/management.yaml).
 */
export interface UsageEvent {
  /** The event's uuid ('' when absent): the ledger keeps each event once. */
  uuid: string;
  published: string;
  eventType: string;
  actor: LogEntity | null;
  ipAddress: string | null;
  userAgent: string | null;
  apiTokenId: string | null;
}

/**
 * What Okta Workflows did in the log window as a person (events whose client is Workflows,
 * user agent `Azuqua`): only writes are logged, so no events does not mean no use.
 */
export interface WorkflowsUsage {
  lastUsedAt: string;
  eventCount: number;
  /** Event type -> count. */
  eventTypes: Record<string, number>;
}

/**
 * A live Workflows connection, from its create/reauthorize/delete/revoke events, or from
 * Workflows acting as a person (then `lastAuthorizedAt` and `lastEventType` are null: the
 * authorization is older than the log).
 */
export interface WorkflowsConnection {
  /** The connection target's id from the event, else `<connector>/<display name>`. */
  id: string;
  name: string;
  connector: string | null;
  lastAuthorizedBy: LogEntity;
  lastAuthorizedAt: string | null;
  lastEventType: string | null;
  /** Okta actions Workflows took as `lastAuthorizedBy` in the window (Okta connector only). */
  usage?: WorkflowsUsage;
}

/** What an API token did in the log window: events carrying its id in `transaction.detail.requestApiTokenId`. */
export interface ApiTokenUsage {
  eventCount: number;
  /** Event type -> count. */
  eventTypes: Record<string, number>;
  /** Client IP addresses and raw user agents, most frequent first. */
  ipAddresses: string[];
  userAgents: string[];
  firstEventAt: string | null;
  lastEventAt: string | null;
}

/** A Workflows connection deleted or revoked within the log window: seen to be gone. */
export interface EndedWorkflowsConnection {
  id: string;
  name: string;
  endedAt: string;
  eventType: string;
}

export interface OwnerGroup {
  id: string;
  name: string;
}

export interface OwnerRole {
  type: string;
  label: string;
  status: string | null;
  /** USER (direct) or GROUP (inherited through a group). */
  assignmentType: string | null;
}

/** A user the inventory references: a token owner, an authorizer, an agent installer. */
export interface OwnerUser {
  id: string;
  login: string;
  status: string;
  typeId: string | null;
  profile: {
    userType: string | null;
    email: string | null;
    displayName: string | null;
    firstName: string | null;
    lastName: string | null;
  };
  /** null: could not be read (see sources.ownerGroups). */
  groups: OwnerGroup[] | null;
  /** null: could not be read (see sources.ownerRoles). */
  roles: OwnerRole[] | null;
  /** The last sign-in; null: never signed in. Absent in inventories saved before it was kept. */
  lastLogin?: string | null;
  /** Profile attributes holding a date (e.g. terminationDate); absent in inventories saved before. */
  profileDates?: Record<string, string>;
}

export interface Inventory {
  schemaVersion: 1;
  /** Host of the org URL. */
  org: string;
  collectedAt: string;
  /** The bounded System Log window every log query used. */
  logWindow: { since: string; until: string };
  sources: Record<SourceName, SourceState>;
  apiTokens: ApiToken[];
  /** The org's network zones (see sources.zones); absent in files written before zones were read. */
  networkZones?: NetworkZone[];
  agentPools: AgentPool[];
  provisioningApps: ProvisioningApp[];
  workflowsConnections: WorkflowsConnection[];
  /**
   * Connections whose last event in the window deleted or revoked them. A connection missing
   * from both lists may still exist (authorized before the window); absent in older files.
   */
  endedWorkflowsConnections?: EndedWorkflowsConnection[];
  /** application.integration.authentication_failure and application.configuration.update failures. */
  provisioningAuthFailures: LogEventSummary[];
  /** Failed application.provision.user.deactivate / deprovision pushes. */
  deactivationPushFailures: LogEventSummary[];
  /** Who last authorized each app's provisioning connection (app id -> event). */
  provisioningAuthorizations: Record<string, LogEventSummary>;
  /** system.agent.register / system.agent.ad.create: who installed an agent (agent id -> event). */
  agentRegistrations: Record<string, LogEventSummary>;
  /** system.api_token.create events (token id -> event). */
  apiTokenCreations: Record<string, LogEventSummary>;
  /** Per token id, what it did in the log window (see sources.apiTokenUsage); absent in older files. */
  apiTokenUsage?: Record<string, ApiTokenUsage>;
  /** Referenced users by id. */
  users: Record<string, OwnerUser>;
  /** Referenced user ids that Okta answered 404 for: deleted users. */
  missingUserIds: string[];
}
