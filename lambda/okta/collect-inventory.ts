import { isTokenBasedAgentVersion } from '../domain/ad-agent';
import {
  type Inventory,
  SOURCE_DEPENDENCIES,
  SOURCE_NAMES,
  SOURCE_SCOPES,
  type SourceName,
  type SourceState,
  withDependencies,
} from '../domain/inventory';
import type { LedgerEntry } from '../domain/ledger';
import type { OktaClient } from './client';
import { registrationsByAgent } from './collectors/agent-events';
import { collectOwners } from './collectors/owners';
import { orgHost } from './connection';
import { CredentialsProbe } from './credentials-probe';
import { describeOktaError, isFeatureUnavailable } from './describe-okta-error';
import { applyLedger, freshEntries, LEDGER_EVENT_TYPES, USAGE_CLAUSES } from './ledger-merge';
import { referencedUsers, statusOnlyUserIds } from './referenced-users';
import { type Collected, SOURCE_READERS, type SourceReader } from './source-readers';
import { type LogWindow, logWindow, SharedLogRead } from './system-log';

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
  /**
   * The org's ledger: its events join the fresh ones before the owners are read, and the log is
   * read from `since` (where the last complete read stopped) instead of the window's start.
   */
  ledger?: { entries: readonly LedgerEntry[]; since: string };
}

type Unavailable = Map<SourceName, { reason: string; requiredScope: string }>;

function emptyInventory(client: OktaClient, now: Date, window: LogWindow): Inventory {
  return {
    schemaVersion: 1,
    org: orgHost(client.orgUrl),
    collectedAt: now.toISOString(),
    logWindow: window,
    sources: Object.fromEntries(SOURCE_NAMES.map((name) => [name, { status: 'skipped' } as SourceState])) as Record<
      SourceName,
      SourceState
    >,
    apiTokens: [],
    networkZones: [],
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
}

/**
 * Per-app reads go through the app list and groups and roles through the users, so a source
 * that cannot be read takes those with it, under its own scope.
 */
function unavailableSources(known: CollectInventoryOptions['unavailable']): Unavailable {
  const unavailable: Unavailable = new Map();
  for (const [name, reason] of Object.entries(known ?? {}) as [SourceName, string | undefined][]) {
    if (reason !== undefined) unavailable.set(name, { reason, requiredScope: SOURCE_SCOPES[name] });
  }
  for (const [name, via] of Object.entries(SOURCE_DEPENDENCIES) as [SourceName, SourceName][]) {
    const cause = unavailable.get(via);
    if (cause && !unavailable.has(name)) unavailable.set(name, cause);
  }
  return unavailable;
}

/** One scan's reading: what every reader and the owners phase share. */
interface Reading {
  client: OktaClient;
  collected: Collected;
  window: LogWindow;
  wanted: ReadonlySet<SourceName>;
  unavailable: Unavailable;
  probe: CredentialsProbe;
  progress: (message: string) => void;
}

/** Wanted and not known to be unreadable. */
function reads(reading: Reading, name: SourceName): boolean {
  return reading.wanted.has(name) && !reading.unavailable.has(name);
}

function markUnavailable(reading: Reading): void {
  for (const [name, cause] of reading.unavailable) {
    if (reading.wanted.has(name)) reading.collected.inventory.sources[name] = { status: 'failed', ...cause };
  }
}

/** Runs one reader. Fails every source it names on error, unless the error shows the credentials are unusable. */
async function runReader(reader: SourceReader, reading: Reading): Promise<void> {
  const { client, collected, progress } = reading;
  const sources = collected.inventory.sources;
  const [first, next] = reader.sources.filter((name) => reading.wanted.has(name));
  progress(`Reading ${reader.label}…`);
  try {
    const line = await reader.read(client, collected, reading.window);
    sources[first] = { status: 'complete' };
    progress(line);
    if (reader.readNext && next && reads(reading, next)) {
      const read = await reader.readNext(client, collected, reading.window);
      sources[next] = read.state;
      progress(read.line);
    }
  } catch (error) {
    reading.probe.check(error);
    // A source whose own data was read stays complete; only those still pending fail.
    const pending = [first, next].filter((name) => name !== undefined && sources[name].status === 'skipped');
    if (isFeatureUnavailable(error)) {
      for (const name of pending) sources[name] = { status: 'unavailable', reason: describeOktaError(error) };
      progress(`${reader.label}: not available in this org (${describeOktaError(error)})`);
      return;
    }
    for (const name of pending) {
      sources[name] = {
        status: 'failed',
        reason: describeOktaError(error, SOURCE_SCOPES[name]),
        requiredScope: SOURCE_SCOPES[name],
      };
    }
    progress(`Could not read ${reader.label}: ${describeOktaError(error, SOURCE_SCOPES[first])}`);
  }
}

/**
 * Reads the users the other sources name, once those are read; the users whose status alone
 * matters join the same batched searches once the apps are read.
 */
async function readOwners(
  reading: Reading,
  extraUsers: readonly string[],
  referencesRead: Promise<void>,
  appsRead: Promise<void> | undefined,
): Promise<void> {
  const { inventory } = reading.collected;
  await referencesRead;
  const { userIds, logins } = referencedUsers(inventory, extraUsers, isTokenBasedAgentVersion);
  const statusOnlyIds = (): string[] => {
    const ids = statusOnlyUserIds(inventory);
    if (ids.length > 0) reading.progress(`Reading ${ids.length} users whose deprovisioning may have failed…`);
    return ids;
  };
  reading.progress(`Reading ${userIds.length + logins.length} referenced users…`);
  try {
    const owners = await collectOwners(reading.client, {
      userIds,
      logins,
      statusOnlyIds: appsRead ? appsRead.then(statusOnlyIds) : statusOnlyIds(),
      readGroups: reads(reading, 'ownerGroups'),
      readRoles: reads(reading, 'ownerRoles'),
      onFirstError: reading.probe.active ? (error) => reading.probe.check(error) : undefined,
    });
    inventory.users = owners.users;
    inventory.missingUserIds = owners.missingUserIds;
    inventory.sources.owners = owners.owners;
    inventory.sources.ownerGroups = owners.ownerGroups;
    inventory.sources.ownerRoles = owners.ownerRoles;
    markUnavailable(reading);
  } finally {
    reading.probe.end();
  }
  reading.progress(
    `Read ${Object.keys(inventory.users).length} users (${inventory.missingUserIds.length} no longer exist in Okta)`,
  );
}

/**
 * Reads one org into an Inventory. The first source runs alone until Okta first answers an API
 * request with success: if its first request shows the credentials or org URL are wrong, nothing
 * else is tried and a CredentialsError is thrown. After that, a source that fails is recorded as
 * failed (its data absent or null) and the others carry on.
 */
export async function collectInventory(client: OktaClient, options: CollectInventoryOptions): Promise<Inventory> {
  return (await collect(client, options)).inventory;
}

/** collectInventory, with the fresh log events of every source read completely, as ledger entries. */
export async function collectInventoryAndLog(
  client: OktaClient,
  options: CollectInventoryOptions,
): Promise<{ inventory: Inventory; fresh: LedgerEntry[] }> {
  const collected = await collect(client, options);
  return { inventory: collected.inventory, fresh: freshEntries(collected) };
}

function incrementalWindow(since: string, window: LogWindow): LogWindow {
  if (since <= window.since) return window;
  return { since, until: window.until, shared: new SharedLogRead(LEDGER_EVENT_TYPES, USAGE_CLAUSES) };
}

async function collect(client: OktaClient, options: CollectInventoryOptions): Promise<Collected> {
  const extraUsers = options.extraUsers ?? [];
  const window = logWindow(options.now, options.lookbackDays);
  const ledger = options.ledger;
  const reading: Reading = {
    client,
    collected: { inventory: emptyInventory(client, options.now, window), agentEvents: [], logEvents: {} },
    // The inventory states the whole window; with a ledger only its unseen part is read, in one
    // shared query when that part is shorter than the window.
    window: ledger ? incrementalWindow(ledger.since, window) : window,
    // Users asked about by name are read as owners.
    wanted: withDependencies([
      ...(options.sources ?? SOURCE_NAMES),
      ...(extraUsers.length > 0 ? ['owners' as const] : []),
    ]),
    unavailable: unavailableSources(options.unavailable),
    probe: new CredentialsProbe(client),
    progress: options.onProgress ?? (() => {}),
  };
  const { inventory } = reading.collected;
  markUnavailable(reading);

  const readers = SOURCE_READERS.filter((reader) => reads(reading, reader.sources[0]));
  const [first, ...rest] = readers;
  const running = new Map<SourceReader, Promise<void>>();
  if (first) {
    const firstRun = runReader(first, reading);
    running.set(first, firstRun);
    await reading.probe.waitFor(firstRun);
  }
  for (const reader of rest) running.set(reader, runReader(reader, reading));

  // Owners are named by tokens, log events and agents; the apps phase only adds users whose
  // status alone matters, so the owners' reads need not wait for it.
  const appsReader = readers.find((reader) => reader.sources[0] === 'apps');
  const appsRead = appsReader ? running.get(appsReader) : undefined;
  const others = [...running].filter(([reader]) => reader !== appsReader).map(([, run]) => run);
  const referencesRead = Promise.all(others).then(() => {
    if (ledger) applyLedger(reading.collected, ledger.entries);
    const knownAgents = new Set(inventory.agentPools.flatMap((pool) => pool.agents.map((agent) => agent.id)));
    inventory.agentRegistrations = registrationsByAgent(reading.collected.agentEvents, knownAgents);
  });

  await Promise.all([
    ...running.values(),
    referencesRead,
    reads(reading, 'owners') ? readOwners(reading, extraUsers, referencesRead, appsRead) : undefined,
  ]);
  return reading.collected;
}
