import type { EventEmitter } from 'node:events';
import {
  type Inventory,
  type LogEventSummary,
  SOURCE_NAMES,
  SOURCE_SCOPES,
  type SourceName,
  type SourceState,
} from '../domain/inventory';
import type { OktaClient } from './client';
import { collectAgentEvents, registrationsByAgent } from './collectors/agent-events';
import { collectAgentPools } from './collectors/agent-pools';
import { collectApiTokenEvents } from './collectors/api-token-events';
import { collectApiTokens } from './collectors/api-tokens';
import { listProvisioningApps, readProvisioning } from './collectors/apps';
import { collectOwners } from './collectors/owners';
import { collectProvisioningEvents } from './collectors/provisioning-events';
import { collectWorkflowsConnections } from './collectors/workflows-connections';
import { orgHost } from './connection';
import { credentialsProblem, describeOktaError, isFeatureUnavailable } from './describe-okta-error';
import { logWindow } from './system-log';

export interface CollectInventoryOptions {
  now: Date;
  lookbackDays: number;
  /** Sources to read (default: all); the others are `skipped`. */
  sources?: readonly SourceName[];
  /** User ids or logins to read as owners even when nothing references them (what-if). */
  extraUsers?: string[];
  onProgress?: (message: string) => void;
  /**
   * Sources known to be unreadable before any request (a scope the service app is not granted),
   * with the reason: recorded as failed and never requested, nor are the sources read through them.
   */
  unavailable?: Partial<Record<SourceName, string>>;
}

/** Sources that cannot be read without another: per-app reads need the app list, groups and roles need the users. */
function withDependencies(requested: readonly SourceName[], extraUsers: readonly string[]): Set<SourceName> {
  const sources = new Set(requested);
  if (sources.has('provisioning')) sources.add('apps');
  if (sources.has('ownerGroups') || sources.has('ownerRoles') || extraUsers.length > 0) sources.add('owners');
  return sources;
}

/** AD agents before 3.18.0 run on an API token of the admin who installed them (okta-api.md 2.5). */
export function isTokenBasedAgentVersion(version: string | null): boolean {
  const match = version?.match(/^(\d+)\.(\d+)/);
  if (!match) return true; // unknown version: its installer may matter, so read them
  const [major, minor] = [Number(match[1]), Number(match[2])];
  return major < 3 || (major === 3 && minor < 18);
}

/**
 * Resolves at the first 2xx answer to an API request (not the OAuth token request): from then on
 * the credentials and org URL are known to work, and the rest of the first source need not be
 * waited for. Never resolves without a request executor that reports responses.
 */
function firstApiSuccess(client: OktaClient): { answered: Promise<void>; stop: () => void } {
  const executor = client.sdk.requestExecutor as Partial<EventEmitter> | undefined;
  if (typeof executor?.on !== 'function' || typeof executor.off !== 'function') {
    return { answered: new Promise<void>(() => {}), stop: () => {} };
  }
  let listener: (response: { status?: number; url?: string }) => void = () => {};
  const answered = new Promise<void>((resolve) => {
    listener = (response) => {
      const status = response.status ?? 0;
      if (status >= 200 && status < 300 && !String(response.url ?? '').includes('/oauth2/')) resolve();
    };
  });
  executor.on('response', listener);
  return { answered, stop: () => executor.off?.('response', listener) };
}

function userId(entity: { id: string; type: string } | null | undefined): string | null {
  return entity && entity.type === 'User' && entity.id ? entity.id : null;
}

/**
 * Reads one org into an Inventory. The first source runs alone until Okta first answers an API
 * request with success: if its first request shows the credentials or org URL are wrong, nothing
 * else is tried and a CredentialsError is thrown. After that, a source that fails is recorded as
 * failed (its data absent or null) and the others carry on.
 */
export async function collectInventory(client: OktaClient, options: CollectInventoryOptions): Promise<Inventory> {
  const progress = options.onProgress ?? (() => {});
  const extraUsers = options.extraUsers ?? [];
  const wanted = withDependencies(options.sources ?? SOURCE_NAMES, extraUsers);
  const window = logWindow(options.now, options.lookbackDays);
  const sources = Object.fromEntries(
    SOURCE_NAMES.map((name) => [name, { status: 'skipped' } as SourceState]),
  ) as Record<SourceName, SourceState>;
  const inventory: Inventory = {
    schemaVersion: 1,
    org: orgHost(client.orgUrl),
    collectedAt: options.now.toISOString(),
    logWindow: window,
    sources,
    apiTokens: [],
    agentPools: [],
    provisioningApps: [],
    workflowsConnections: [],
    provisioningAuthFailures: [],
    deactivationPushFailures: [],
    provisioningAuthorizations: {},
    agentRegistrations: {},
    apiTokenCreations: {},
    users: {},
    missingUserIds: [],
  };
  let agentEvents: LogEventSummary[] = [];
  let probing = true;

  // Per-app reads go through the app list and groups and roles through the users, so a source
  // that cannot be read takes those with it, under its own scope.
  const unavailable = new Map<SourceName, { reason: string; requiredScope: string }>();
  for (const [name, reason] of Object.entries(options.unavailable ?? {}) as [SourceName, string | undefined][]) {
    if (reason !== undefined) unavailable.set(name, { reason, requiredScope: SOURCE_SCOPES[name] });
  }
  const through: [SourceName, SourceName][] = [
    ['provisioning', 'apps'],
    ['ownerGroups', 'owners'],
    ['ownerRoles', 'owners'],
  ];
  for (const [name, via] of through) {
    const cause = unavailable.get(via);
    if (cause && !unavailable.has(name)) unavailable.set(name, cause);
  }
  const markUnavailable = (): void => {
    for (const [name, cause] of unavailable) {
      if (wanted.has(name)) sources[name] = { status: 'failed', ...cause };
    }
  };
  markUnavailable();

  /** Fails every source named on error, unless the error shows the credentials are unusable. */
  const checkCredentials = (error: unknown): void => {
    if (!probing) return;
    const problem = credentialsProblem(error, client);
    if (problem) throw problem;
  };
  const fail = (names: readonly SourceName[], error: unknown): void => {
    for (const name of names) {
      sources[name] = {
        status: 'failed',
        reason: describeOktaError(error, SOURCE_SCOPES[name]),
        requiredScope: SOURCE_SCOPES[name],
      };
    }
  };

  interface Task {
    sources: SourceName[];
    label: string;
    run: () => Promise<void>;
  }
  const tasks: Task[] = [];
  const add = (names: SourceName[], label: string, run: () => Promise<void>): void => {
    if (wanted.has(names[0]) && !unavailable.has(names[0])) tasks.push({ sources: names, label, run });
  };

  add(['apiTokens'], 'API tokens', async () => {
    inventory.apiTokens = await collectApiTokens(client);
    sources.apiTokens = { status: 'complete' };
    progress(`Read ${inventory.apiTokens.length} API tokens`);
  });
  add(['agentPools'], 'AD agent pools', async () => {
    inventory.agentPools = await collectAgentPools(client);
    sources.agentPools = { status: 'complete' };
    const agents = inventory.agentPools.reduce((n, p) => n + p.agents.length, 0);
    progress(`Read ${inventory.agentPools.length} AD agent pools (${agents} agents)`);
  });
  add(wanted.has('provisioning') ? ['apps', 'provisioning'] : ['apps'], 'apps', async () => {
    inventory.provisioningApps = await listProvisioningApps(client);
    sources.apps = { status: 'complete' };
    progress(`Found ${inventory.provisioningApps.length} active apps that provision users`);
    if (wanted.has('provisioning') && !unavailable.has('provisioning')) {
      sources.provisioning = await readProvisioning(client, inventory.provisioningApps);
      progress('Read provisioning connections, features and app users in error');
    }
  });
  add(['workflowsEvents'], 'Workflows connection events', async () => {
    const connections = await collectWorkflowsConnections(client, window);
    inventory.workflowsConnections = connections.live;
    inventory.endedWorkflowsConnections = connections.ended;
    sources.workflowsEvents = { status: 'complete' };
    progress(`Found ${inventory.workflowsConnections.length} live Workflows connections in the System Log`);
  });
  add(['provisioningEvents'], 'provisioning events', async () => {
    const events = await collectProvisioningEvents(client, window);
    inventory.provisioningAuthFailures = events.provisioningAuthFailures;
    inventory.deactivationPushFailures = events.deactivationPushFailures;
    inventory.provisioningAuthorizations = events.provisioningAuthorizations;
    sources.provisioningEvents = { status: 'complete' };
    progress('Read provisioning events from the System Log');
  });
  add(['agentEvents'], 'agent registration events', async () => {
    agentEvents = await collectAgentEvents(client, window);
    sources.agentEvents = { status: 'complete' };
    progress(`Read ${agentEvents.length} agent registration events`);
  });
  add(['apiTokenEvents'], 'API token events', async () => {
    inventory.apiTokenCreations = await collectApiTokenEvents(client, window);
    sources.apiTokenEvents = { status: 'complete' };
    progress(`Read ${Object.keys(inventory.apiTokenCreations).length} API token creation events`);
  });

  const runTask = async (task: Task): Promise<void> => {
    progress(`Reading ${task.label}…`);
    try {
      await task.run();
    } catch (error) {
      checkCredentials(error);
      // A source whose own data was read stays complete; only those still pending fail.
      const pending = task.sources.filter((name) => sources[name].status === 'skipped');
      if (isFeatureUnavailable(error)) {
        for (const name of pending) sources[name] = { status: 'unavailable', reason: describeOktaError(error) };
        progress(`${task.label}: not available in this org (${describeOktaError(error)})`);
        return;
      }
      fail(pending, error);
      progress(`Could not read ${task.label}: ${describeOktaError(error, SOURCE_SCOPES[task.sources[0]])}`);
    }
  };

  const [first, ...rest] = tasks;
  const running = new Map<Task, Promise<void>>();
  if (first) {
    const probe = firstApiSuccess(client);
    try {
      const firstRun = runTask(first);
      running.set(first, firstRun);
      await Promise.race([firstRun, probe.answered]);
    } finally {
      probe.stop();
    }
    probing = false;
  }
  for (const task of rest) running.set(task, runTask(task));

  // Owners are named by tokens, log events and agents; the apps phase only adds users whose
  // status alone matters, so the owners' reads need not wait for it.
  const appsTask = tasks.find((task) => task.sources[0] === 'apps');
  const appsRead = appsTask ? running.get(appsTask) : undefined;
  const referencesRead = Promise.all([...running].filter(([task]) => task !== appsTask).map(([, run]) => run)).then(
    () => {
      const knownAgents = new Set(inventory.agentPools.flatMap((pool) => pool.agents.map((agent) => agent.id)));
      inventory.agentRegistrations = registrationsByAgent(agentEvents, knownAgents);
    },
  );

  const readOwners = async (): Promise<void> => {
    await referencesRead;
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
      if (!isTokenBasedAgentVersion(agent.version)) continue;
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
    // Users Okta may have failed to deprovision: only their status matters, so they are read in
    // the same batched searches without their groups and roles, once the apps are read.
    const statusOnlyIds = (): string[] => {
      const found = new Set<string>();
      for (const app of inventory.provisioningApps) for (const user of app.usersInError ?? []) found.add(user.userId);
      for (const event of inventory.deactivationPushFailures) {
        for (const target of event.target) if (target.type === 'User' && target.id) found.add(target.id);
      }
      const sorted = [...found].sort();
      if (sorted.length > 0) progress(`Reading ${sorted.length} users whose deprovisioning may have failed…`);
      return sorted;
    };
    progress(`Reading ${ids.size + logins.length} referenced users…`);
    try {
      const owners = await collectOwners(client, {
        userIds: [...ids].sort(),
        logins,
        statusOnlyIds: appsRead ? appsRead.then(statusOnlyIds) : statusOnlyIds(),
        readGroups: wanted.has('ownerGroups') && !unavailable.has('ownerGroups'),
        readRoles: wanted.has('ownerRoles') && !unavailable.has('ownerRoles'),
        onFirstError: probing ? checkCredentials : undefined,
      });
      inventory.users = owners.users;
      inventory.missingUserIds = owners.missingUserIds;
      sources.owners = owners.owners;
      sources.ownerGroups = owners.ownerGroups;
      sources.ownerRoles = owners.ownerRoles;
      markUnavailable();
    } finally {
      probing = false;
    }
    progress(
      `Read ${Object.keys(inventory.users).length} users (${inventory.missingUserIds.length} no longer exist in Okta)`,
    );
  };

  await Promise.all([
    ...running.values(),
    referencesRead,
    wanted.has('owners') && !unavailable.has('owners') ? readOwners() : undefined,
  ]);
  return inventory;
}
