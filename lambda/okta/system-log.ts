import type { LogEntity, LogEventSummary } from '../domain/inventory';
import type { OktaClient } from './client';
import { readAll } from './paging';
import { obj, type Plain, plainObject, str } from './sdk-values';

// The shared bounded System Log query. Okta's System Log has two modes (okta-api.md 6.1): with
// `since` AND `until` it is a bounded query ordered by `published` whose last page has no next
// link; without `until` it is a polling query whose next link never ends. The SDK would follow
// that forever, so every query here is bounded, and since/until go as ISO strings: the SDK
// would stringify a Date with Date.toString().

export interface LogWindow {
  since: string;
  until: string;
  /** An incremental read: the queries that can be answered from one shared query are. */
  shared?: SharedLogRead;
}

/** A query's filter as applied here, to the events of a shared query. */
export interface LocalFilter<T = LogEventSummary> {
  /** The event types the query asks for (the shared query must ask for each). */
  eventTypes: readonly string[];
  /** Other clauses the query asks for, as the shared query must carry them. */
  clauses?: readonly string[];
  matches(event: T): boolean;
}

/**
 * Since the last scan, little has happened: one bounded query for every event type the log
 * sources need, and the usage clauses, each source then taking its own events here, costs one
 * request where a query per source (and per batch of tokens) costs many. Over the whole window,
 * each source's own server-side filter moves less data.
 */
export class SharedLogRead {
  private events: Promise<Plain[]> | undefined;

  constructor(
    private readonly eventTypes: readonly string[],
    private readonly clauses: readonly string[] = [],
  ) {}

  covers(local: LocalFilter<never>): boolean {
    return (
      local.eventTypes.every((type) => this.eventTypes.includes(type)) &&
      (local.clauses ?? []).every((clause) => this.clauses.includes(clause))
    );
  }

  read(client: OktaClient, window: LogWindow): Promise<Plain[]> {
    const filter = [eventTypeFilter(this.eventTypes), ...this.clauses].filter(Boolean).join(' or ');
    this.events ??= readLog(client, window, filter, 'System Log events since the last scan');
    return this.events;
  }
}

export function logWindow(now: Date, lookbackDays: number): LogWindow {
  return {
    since: new Date(now.getTime() - lookbackDays * 86_400_000).toISOString(),
    until: now.toISOString(),
  };
}

function entity(value: unknown): LogEntity | null {
  const e = obj(value);
  if (!e) return null;
  const id = str(e.id);
  const alternateId = str(e.alternateId);
  const displayName = str(e.displayName);
  // A target may come without an id (a Workflows connection is known by its display name).
  if (!id && !alternateId && !displayName) return null;
  return { id: id ?? '', type: str(e.type) ?? '', alternateId, displayName };
}

export function summarizeEvent(event: Plain): LogEventSummary {
  const outcome = obj(event.outcome);
  const targets = Array.isArray(event.target) ? event.target : [];
  return {
    uuid: str(event.uuid) ?? '',
    published: str(event.published) ?? '',
    eventType: str(event.eventType) ?? '',
    outcome: { result: str(outcome?.result), reason: str(outcome?.reason) },
    actor: entity(event.actor),
    target: targets.map(entity).filter((t): t is LogEntity => t !== null),
  };
}

/** `eventType eq "a" or eventType eq "b"`. */
export function eventTypeFilter(eventTypes: readonly string[]): string {
  return eventTypes.map((t) => `eventType eq "${t}"`).join(' or ');
}

/**
 * One bounded, server-filtered query; events come back oldest first. With `local` (the same
 * filter, applied here), an incremental read takes the events from the shared query instead.
 */
export function queryLog(
  client: OktaClient,
  window: LogWindow,
  filter: string,
  what: string,
  local?: LocalFilter,
): Promise<LogEventSummary[]> {
  return queryLogAs(client, window, filter, what, summarizeEvent, local);
}

/**
 * One bounded, server-filtered query, each event reduced by `summarize`; oldest first. With
 * `local`, an incremental read takes the events from the shared query instead.
 */
export async function queryLogAs<T extends { published: string }>(
  client: OktaClient,
  window: LogWindow,
  filter: string,
  what: string,
  summarize: (event: Plain) => T,
  local?: LocalFilter<T>,
): Promise<T[]> {
  const events =
    window.shared && local && window.shared.covers(local)
      ? (await window.shared.read(client, window)).map(summarize).filter((event) => local.matches(event))
      : (await readLog(client, window, filter, what)).map(summarize);
  return events.sort((a, b) => a.published.localeCompare(b.published));
}

/** One bounded, server-filtered query, the events as Okta sent them. */
async function readLog(client: OktaClient, window: LogWindow, filter: string, what: string): Promise<Plain[]> {
  if (!window.since || !window.until) throw new Error(`refusing an unbounded System Log query for ${what}`);
  const events = await readAll(
    what,
    await client.sdk.systemLogApi.listLogEvents({
      since: window.since,
      until: window.until,
      filter,
      limit: 1000,
      sortOrder: 'ASCENDING',
    }),
  );
  return events.map((event) => plainObject(event));
}
