import type { LogEventSummary, UsageEvent } from './inventory';

// The ledger: the System Log events a scan has seen, kept per org so that attribution outlives
// Okta's 90-day log retention and each scan reads only the part of the log it has not seen.
// Authorization facts (who created, reauthorized or ended an integration) are kept for good; an
// ended integration stays as its closing event, never deleted. Failure events and usage (what an
// API token or Okta Workflows did) matter only within the lookback window, so they are kept while
// they are in it (README "The ledger").

/** A stream of log events kept as the collectors summarise them. */
export type LogStream =
  | 'workflows'
  | 'provisioningAuthorizations'
  | 'agentRegistrations'
  | 'apiTokenCreations'
  | 'provisioningAuthFailures'
  | 'deactivationPushFailures';

/** A stream of usage events: what API tokens and Okta Workflows did. */
export type UsageStream = 'apiTokenUsage' | 'workflowsUsage';

/** One stream of log events a scan reads, as the ledger files them. */
export type LedgerStream = LogStream | UsageStream;

/** The event a stream's entries hold. */
export type StreamEvent<S extends LedgerStream> = S extends UsageStream ? UsageEvent : LogEventSummary;

export const USAGE_STREAMS: readonly UsageStream[] = ['apiTokenUsage', 'workflowsUsage'];

/** Streams of authorization facts: kept without expiry. */
export const FACT_STREAMS: readonly LedgerStream[] = [
  'workflows',
  'provisioningAuthorizations',
  'agentRegistrations',
  'apiTokenCreations',
];

/** Streams that only matter within the lookback window. */
export const WINDOW_STREAMS: readonly LedgerStream[] = [
  'provisioningAuthFailures',
  'deactivationPushFailures',
  ...USAGE_STREAMS,
];

interface EntryFields {
  /** The event's uuid: the same event seen twice is one entry. */
  uuid: string;
  /** The integration the event is about (connection, app, agent or token id); '' when it names none. */
  integration: string;
  /** The account that authorized or acted; null when the event names none. */
  account: string | null;
  eventType: string;
  published: string;
}

/**
 * One event the ledger keeps, with the event as the collectors read it, so a scan can replay it
 * with fresh events. Ledgers saved before usage was kept hold only log-stream entries.
 */
export type LedgerEntry = EntryFields & LedgerEvent;

/** An event and the stream it is filed under: the stream says which kind of event it is. */
export type LedgerEvent = { stream: LogStream; event: LogEventSummary } | UsageLedgerEvent;

export type UsageLedgerEvent = { stream: UsageStream; event: UsageEvent };

export function isUsage(filed: LedgerEvent): filed is UsageLedgerEvent {
  return (USAGE_STREAMS as readonly LedgerStream[]).includes(filed.stream);
}

/** The stretch of an org's System Log the ledger holds without a gap: where reads started and stopped. */
export interface LogCursor {
  since: string;
  until: string;
}

/** What a store holds for one org. */
export interface LedgerState {
  entries: LedgerEntry[];
  cursor: LogCursor | null;
}

/** What a scan hands to the store: null when a log source was not read completely (nothing changes). */
export interface LedgerUpdate {
  entries: LedgerEntry[];
  cursor: LogCursor;
}

/** The ledger port: the DynamoDB store and the CLI's local store both implement it. */
export interface LedgerStore {
  loadLedger(org: string): Promise<LedgerState>;
  /** Adds the entries (idempotent by uuid) and moves the cursor forward, never back. */
  saveLedger(org: string, update: LedgerUpdate): Promise<void>;
}

export const EMPTY_LEDGER: LedgerState = { entries: [], cursor: null };

/**
 * A bounded System Log query selects by `published`, and Okta documents that events may arrive
 * late (https://developer.okta.com/docs/api/openapi/okta-management/management/tag/SystemLog/):
 * re-reading the hour before the cursor catches them; their uuids dedupe the rest.
 */
export const LOG_OVERLAP_MS = 60 * 60_000;

/** A window stream's entry is dropped once it is older than this many days. */
export const WINDOW_RETENTION_DAYS = 90;

/**
 * Where this scan's log reads start: the whole window on a first scan, after a gap longer than
 * the lookback, when the ledger does not reach back to the window's start (a longer lookback than
 * before), or when the cursor is ahead of the scan's time; else the cursor less the overlap.
 */
export function logReadSince(cursor: LogCursor | null, window: { since: string; until: string }): string {
  if (!cursor || cursor.since > window.since) return window.since;
  const at = Date.parse(cursor.until);
  if (Number.isNaN(at) || at > Date.parse(window.until)) return window.since;
  const since = at - LOG_OVERLAP_MS;
  return since > Date.parse(window.since) ? new Date(since).toISOString() : window.since;
}

/** The later of two cursors: a scan of an earlier time never moves the cursor back. */
export function laterCursor(a: LogCursor | null, b: LogCursor): LogCursor {
  return a && a.until > b.until ? a : b;
}

/**
 * The cursor after a complete read from `readSince` to the window's end: an incremental read
 * extends the stretch the ledger holds; a whole-window read starts it again.
 */
export function cursorAfter(
  previous: LogCursor | null,
  readSince: string,
  window: { since: string; until: string },
): LogCursor {
  const since = previous && readSince > window.since ? previous.since : readSince;
  return laterCursor(previous, { since, until: window.until });
}

/** Entries by uuid, later copies ignored: merging the same events again changes nothing. */
export function mergeLedger(entries: readonly LedgerEntry[], added: readonly LedgerEntry[]): LedgerEntry[] {
  const byKey = new Map<string, LedgerEntry>();
  for (const entry of [...entries, ...added]) {
    const key = `${entry.stream}#${entry.uuid}`;
    if (!byKey.has(key)) byKey.set(key, entry);
  }
  return [...byKey.values()].sort((a, b) => a.published.localeCompare(b.published) || a.uuid.localeCompare(b.uuid));
}

/** Drops window-stream entries older than the retention; authorization facts are never dropped. */
export function pruneLedger(entries: readonly LedgerEntry[], now: Date): LedgerEntry[] {
  const oldest = new Date(now.getTime() - WINDOW_RETENTION_DAYS * 86_400_000).toISOString();
  return entries.filter((entry) => !WINDOW_STREAMS.includes(entry.stream) || entry.published >= oldest);
}

/** The events of one stream, ledger and fresh together, once each, oldest first. */
export function streamEvents<S extends LedgerStream>(
  entries: readonly LedgerEntry[],
  stream: S,
  fresh: readonly StreamEvent<S>[],
): StreamEvent<S>[] {
  const byUuid = new Map<string, StreamEvent<S>>();
  for (const entry of entries) if (entry.stream === stream) byUuid.set(entry.uuid, entry.event as StreamEvent<S>);
  // An event without a uuid cannot be deduplicated; Okta always sends one.
  const unkeyed = fresh.filter((event) => !event.uuid);
  for (const event of fresh) if (event.uuid) byUuid.set(event.uuid, event);
  return [...byUuid.values(), ...unkeyed].sort((a, b) => a.published.localeCompare(b.published));
}
