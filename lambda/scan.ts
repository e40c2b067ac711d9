import { randomUUID } from 'node:crypto';
import type { ScannerConfig } from './config';
import { type Report, type Severity, severityRank } from './domain/finding';
import type { ScanOutcome } from './domain/history';
import { type Inventory, SOURCE_NAMES, SOURCE_SCOPES, type SourceName } from './domain/inventory';
import { cursorAfter, type LedgerEntry, type LedgerState, type LedgerUpdate, logReadSince } from './domain/ledger';
import { evaluateRules, sourcesFor, summarizeFindings } from './engine';
import { ConfigError, CredentialsError, OktaTokenEndpointError, StepInterrupted } from './errors';
import {
  createOktaClient,
  grantedScopes,
  type OktaClient,
  type OktaClientOptions,
  type RequestStats,
} from './okta/client';
import { type CollectInventoryOptions, collectInventoryAndLog } from './okta/collect-inventory';
import { type OktaConnection, orgHost } from './okta/connection';
import { LOG_SOURCES } from './okta/ledger-merge';
import { logWindow } from './okta/system-log';
import { getRule } from './rules';

// The one scan path: the CLI and the Lambda both come through here.

export interface ScanStats {
  requests: number;
  throttled: number;
  retries: number;
}

export interface ScanResult {
  report: Report;
  inventory: Inventory;
  outcome: ScanOutcome;
  stats: ScanStats;
  /** With a ledger: what to add to it, or null when a log source was not read completely. */
  ledgerUpdate?: LedgerUpdate | null;
}

export type ReplayResult = Omit<ScanResult, 'stats'>;

export interface ScanOptions {
  connection: OktaConnection;
  config: ScannerConfig;
  /**
   * Evaluation time; default: the clock at start. Every step of a scan in steps gives the same
   * one: the System Log queries' URLs (since/until) are built from it, and the journal answers by URL.
   */
  now?: Date;
  /** Only these rules (and only the sources they need); default: every rule. */
  ruleIds?: readonly string[];
  /** Users to read even when nothing references them (what-if). */
  extraUsers?: string[];
  onProgress?: (message: string) => void;
  scanId?: string;
  clock?: () => Date;
  /**
   * The Okta client's timeout and waits (tests record the waits instead of sleeping); in a scan
   * step, its answer journal, budget and the rate-limit windows the last step left.
   */
  client?: Pick<OktaClientOptions, 'requestTimeoutMs' | 'sleep' | 'journal' | 'budget' | 'gateState'>;
  /** The org's ledger: the log is read from its cursor and its events join the fresh ones. */
  ledger?: LedgerState;
}

/** Throws ConfigError naming every unknown id and the valid ones; runs before any request. */
export function validateRuleIds(ruleIds: readonly string[] | undefined): void {
  sourcesFor(ruleIds);
}

export async function scan(options: ScanOptions): Promise<ScanResult> {
  validateRuleIds(options.ruleIds);
  if (options.client?.journal && !options.now) {
    throw new ConfigError("A scan step needs `now`: the run's evaluation time, the same in every step");
  }
  const clock = options.clock ?? (() => new Date());
  const startedAt = clock();
  const now = options.now ?? startedAt;
  const sources = sourcesToRead(options);
  const scopes = [...sources, ...(options.extraUsers?.length ? (['owners'] as const) : [])].map(
    (s) => SOURCE_SCOPES[s],
  );
  const collect: CollectInventoryOptions = {
    now,
    lookbackDays: options.config.lookbackDays,
    sources,
    extraUsers: options.extraUsers,
    onProgress: options.onProgress,
    ledger: ledgerReading(options.ledger, now, options.config.lookbackDays),
  };
  const { inventory, fresh, spent } = await collectStep(options, collect, scopes);
  const replay = reportFromInventory(inventory, {
    config: options.config,
    now,
    ruleIds: options.ruleIds,
    scanId: options.scanId,
    startedAt,
    clock,
    org: orgHost(options.connection.orgUrl),
  });
  const stats = sumStats(spent);
  if (!options.ledger || !collect.ledger) return { ...replay, stats };
  return { ...replay, stats, ledgerUpdate: ledgerUpdate(options.ledger, collect.ledger.since, inventory, fresh) };
}

interface Collection {
  inventory: Inventory;
  fresh: LedgerEntry[];
  /** The requests of every client the scan used. */
  spent: RequestStats[];
}

/**
 * Collects, and in a scan step stops before anything is evaluated once the step's budget
 * stopped: what was read while stopping is partial (its sources failed), never a result. The
 * StepInterrupted carries the wait and the rate-limit windows of the last client, as its last
 * answers left them.
 */
async function collectStep(
  options: ScanOptions,
  collect: CollectInventoryOptions,
  scopes: string[],
): Promise<Collection> {
  const clients: OktaClient[] = [];
  const budget = options.client?.budget;
  // The windows are taken once the requests still in flight are answered: their headers count.
  const interrupted = async (): Promise<StepInterrupted | null> => {
    if (!budget?.stopped) return null;
    await budget.settled();
    return new StepInterrupted(budget.stopped, clients.at(-1)?.gateSnapshot());
  };
  let collection: Collection;
  try {
    collection = await collectWithGrantedScopes(options, collect, scopes, clients);
  } catch (error) {
    throw (await interrupted()) ?? error;
  }
  const stop = await interrupted();
  if (stop) throw stop;
  return collection;
}

/**
 * Reads the org. Okta refuses the whole token when one scope is missing and does not say which;
 * a partly granted app still gets a scan of what it may read, incomplete for the rest. With one
 * scope asked for, the refusal already says it is not granted.
 */
async function collectWithGrantedScopes(
  options: ScanOptions,
  collect: CollectInventoryOptions,
  scopes: string[],
  clients: OktaClient[],
): Promise<Collection> {
  const spent: RequestStats[] = [];
  let client: OktaClient = createOktaClient(options.connection, { ...options.client, scopes });
  clients.push(client);
  try {
    const read = await collectInventoryAndLog(client, collect);
    return { ...read, spent: [client.stats] };
  } catch (error) {
    if (!refusedScopes(error) || client.scopes.length < 2) throw error;
    spent.push(client.stats);
    const probe = await grantedScopes(options.connection, client.scopes, options.client);
    spent.push(probe.stats);
    if (probe.granted.length === 0) throw error;
    const refused = new Set(probe.refused);
    const unavailable: Partial<Record<SourceName, string>> = {};
    for (const source of SOURCE_NAMES) {
      const scope = SOURCE_SCOPES[source];
      if (refused.has(scope)) unavailable[source] = `the service app is not granted the ${scope} scope`;
    }
    options.onProgress?.(
      `The service app is not granted ${probe.refused.join(', ')}: scanning with ${probe.granted.join(', ')} only; the report will be incomplete`,
    );
    client = createOktaClient(options.connection, { ...options.client, scopes: probe.granted });
    clients.push(client);
    const read = await collectInventoryAndLog(client, { ...collect, unavailable });
    return { ...read, spent: [...spent, client.stats] };
  }
}

function sumStats(spent: readonly RequestStats[]): ScanStats {
  const stats: ScanStats = { requests: 0, throttled: 0, retries: 0 };
  for (const s of spent) {
    stats.requests += s.requests;
    stats.throttled += s.throttled;
    stats.retries += s.retries;
  }
  return stats;
}

/** A full scan with a ledger reads every log source, so the cursor may move for all of them. */
function sourcesToRead(options: ScanOptions): SourceName[] {
  const needed = sourcesFor(options.ruleIds);
  return options.ledger && !options.ruleIds ? [...new Set([...needed, ...LOG_SOURCES])] : needed;
}

function ledgerReading(
  ledger: LedgerState | undefined,
  now: Date,
  lookbackDays: number,
): CollectInventoryOptions['ledger'] {
  if (!ledger) return undefined;
  return { entries: ledger.entries, since: logReadSince(ledger.cursor, logWindow(now, lookbackDays)) };
}

/** The cursor moves only when every log source was read completely; else nothing changes. */
function ledgerUpdate(
  ledger: LedgerState,
  readSince: string,
  inventory: Inventory,
  fresh: LedgerEntry[],
): LedgerUpdate | null {
  if (!LOG_SOURCES.every((source) => inventory.sources[source].status === 'complete')) return null;
  return { entries: fresh, cursor: cursorAfter(ledger.cursor, readSince, inventory.logWindow) };
}

/** The first request's token was refused for its scopes (not for the key or client id). */
function refusedScopes(error: unknown): boolean {
  return (
    error instanceof CredentialsError &&
    error.cause instanceof OktaTokenEndpointError &&
    error.cause.error === 'invalid_scope'
  );
}

export interface ReplayOptions {
  config: ScannerConfig;
  now: Date;
  ruleIds?: readonly string[];
  scanId?: string;
  startedAt?: Date;
  clock?: () => Date;
  /** Default: the inventory's org. */
  org?: string;
}

/** Evaluates an inventory (fresh or loaded from a file) into the report of docs/report-schema.md. */
export function reportFromInventory(inventory: Inventory, options: ReplayOptions): ReplayResult {
  validateRuleIds(options.ruleIds);
  const clock = options.clock ?? (() => new Date());
  const startedAt = options.startedAt ?? clock();
  const ruleIds = options.ruleIds === undefined ? undefined : [...options.ruleIds];
  const evaluation = evaluateRules(inventory, { config: options.config, now: options.now, ruleIds });
  const errors = evaluation.errors;
  const findings = evaluation.findings;
  const report: Report = {
    schemaVersion: 1,
    scanId: options.scanId ?? randomUUID(),
    org: options.org ?? inventory.org,
    startedAt: startedAt.toISOString(),
    finishedAt: clock().toISOString(),
    status: errors.length > 0 ? 'incomplete' : 'complete',
    errors,
    summary: summarizeFindings(findings),
    findings,
  };
  return {
    report,
    inventory,
    outcome: {
      report,
      rulesRun: evaluation.rulesRun,
      // A rule whose resources may be absent without being gone (Workflows connections beyond
      // the System Log window) never resolves a finding by its absence.
      completeRules: evaluation.completeRules.filter((id) => getRule(id)?.resolvesByAbsence !== false),
    },
  };
}

/** 3 when incomplete (it wins over 1), 1 when a FAIL is at or above `failOn`, else 0. */
export function exitCodeFor(report: Report, failOn: Severity): 0 | 1 | 3 {
  if (report.status === 'incomplete') return 3;
  const threshold = severityRank(failOn);
  return report.findings.some((f) => f.status === 'FAIL' && severityRank(f.severity) <= threshold) ? 1 : 0;
}
