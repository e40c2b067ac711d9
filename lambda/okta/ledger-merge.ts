import type { SourceName } from '../domain/inventory';
import {
  isUsage,
  type LedgerEntry,
  type LedgerEvent,
  type LedgerStream,
  type StreamEvent,
  streamEvents,
  WINDOW_STREAMS,
} from '../domain/ledger';
import { AGENT_LOCAL_FILTER } from './collectors/agent-events';
import { API_TOKEN_CREATE_LOCAL, creationsByToken } from './collectors/api-token-events';
import { TOKEN_USAGE_CLAUSE, usageByToken } from './collectors/api-token-usage';
import {
  AUTH_FAILURE_LOCAL,
  AUTHORIZATION_LOCAL,
  DEACTIVATION_FAILURE_LOCAL,
  lastAuthorizationPerApp,
} from './collectors/provisioning-events';
import {
  authorizerOf,
  connectionOf,
  replayWorkflowsConnections,
  WORKFLOWS_LOCAL_FILTER,
} from './collectors/workflows-connections';
import { WORKFLOWS_USAGE_FILTER, withWorkflowsUsage, workflowsUsageByActor } from './collectors/workflows-usage';
import type { Collected } from './source-readers';

// Between the log reads and the owners phase: the ledger's events join the fresh ones, and the
// inventory's log-derived fields are computed again from both, so the owners phase reads the
// accounts the ledger names and the rules stay pure. A stream whose source failed is left alone.

/** The source each stream is read under. */
export const STREAM_SOURCES: Readonly<Record<LedgerStream, SourceName>> = {
  workflows: 'workflowsEvents',
  provisioningAuthorizations: 'provisioningEvents',
  provisioningAuthFailures: 'provisioningEvents',
  deactivationPushFailures: 'provisioningEvents',
  agentRegistrations: 'agentEvents',
  apiTokenCreations: 'apiTokenEvents',
  apiTokenUsage: 'apiTokenUsage',
  workflowsUsage: 'workflowsEvents',
};

/** Every event type the log sources read: what one shared incremental query asks for. */
export const LEDGER_EVENT_TYPES: readonly string[] = [
  WORKFLOWS_LOCAL_FILTER,
  AUTH_FAILURE_LOCAL,
  DEACTIVATION_FAILURE_LOCAL,
  AUTHORIZATION_LOCAL,
  AGENT_LOCAL_FILTER,
  API_TOKEN_CREATE_LOCAL,
].flatMap((filter) => filter.eventTypes);

/** What the shared incremental query asks for besides the event types: the usage streams' events. */
export const USAGE_CLAUSES: readonly string[] = [WORKFLOWS_USAGE_FILTER, TOKEN_USAGE_CLAUSE];

/** The log sources a scan must read completely before its cursor may move. */
export const LOG_SOURCES: readonly SourceName[] = [...new Set(Object.values(STREAM_SOURCES))];

function read(collected: Collected, stream: LedgerStream): boolean {
  return collected.inventory.sources[STREAM_SOURCES[stream]].status === 'complete';
}

/** Replaces the log-derived inventory fields with what the ledger and the fresh events say together. */
export function applyLedger(collected: Collected, entries: readonly LedgerEntry[]): void {
  const { inventory } = collected;
  const since = inventory.logWindow.since;
  const events = <S extends LedgerStream>(stream: S): StreamEvent<S>[] => {
    const all = streamEvents(entries, stream, collected.logEvents[stream] ?? []);
    return WINDOW_STREAMS.includes(stream) ? all.filter((event) => event.published >= since) : all;
  };
  if (read(collected, 'workflows')) {
    const connections = replayWorkflowsConnections(events('workflows'));
    const usage = workflowsUsageByActor(events('workflowsUsage'));
    inventory.workflowsConnections = withWorkflowsUsage(connections.live, usage);
    inventory.endedWorkflowsConnections = connections.ended;
  }
  if (read(collected, 'apiTokenUsage')) {
    // Only the tokens listed now: a revoked token's events stay in the ledger until they age out.
    const listed = new Set(inventory.apiTokens.map((token) => token.id));
    inventory.apiTokenUsage = usageByToken(
      events('apiTokenUsage').filter((event) => event.apiTokenId !== null && listed.has(event.apiTokenId)),
    );
  }
  if (read(collected, 'provisioningAuthorizations')) {
    inventory.provisioningAuthorizations = lastAuthorizationPerApp(events('provisioningAuthorizations'));
    inventory.provisioningAuthFailures = events('provisioningAuthFailures');
    inventory.deactivationPushFailures = events('deactivationPushFailures');
  }
  if (read(collected, 'agentRegistrations')) collected.agentEvents = events('agentRegistrations');
  if (read(collected, 'apiTokenCreations')) inventory.apiTokenCreations = creationsByToken(events('apiTokenCreations'));
}

function integrationOf(entry: LedgerEvent): string {
  // Workflows usage names the account it acted as, not the connection.
  if (isUsage(entry)) return entry.stream === 'apiTokenUsage' ? (entry.event.apiTokenId ?? '') : '';
  if (entry.stream === 'workflows') return connectionOf(entry.event)?.id ?? '';
  const { stream } = entry;
  const type =
    stream === 'apiTokenCreations' ? 'Token' : stream === 'agentRegistrations' ? 'AgentInstance' : 'AppInstance';
  return entry.event.target.find((t) => t.type === type)?.id ?? '';
}

function accountOf(entry: LedgerEvent): string | null {
  const account = entry.stream === 'workflows' ? authorizerOf(entry.event) : entry.event.actor;
  return account?.id || account?.alternateId || null;
}

/** The fresh events of every stream read completely, as ledger entries (events without a uuid left out). */
export function freshEntries(collected: Collected): LedgerEntry[] {
  const entries: LedgerEntry[] = [];
  const streams = Object.entries(collected.logEvents) as [LedgerStream, StreamEvent<LedgerStream>[]][];
  for (const [stream, events] of streams) {
    if (!read(collected, stream)) continue;
    for (const event of events) {
      if (!event.uuid) continue;
      const filed = { stream, event } as LedgerEvent;
      entries.push({
        ...filed,
        uuid: event.uuid,
        integration: integrationOf(filed),
        account: accountOf(filed),
        eventType: event.eventType,
        published: event.published,
      });
    }
  }
  return entries;
}
