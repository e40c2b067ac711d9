import type { LogEventSummary, SourceName } from '../domain/inventory';
import { type LedgerEntry, type LedgerStream, streamEvents, WINDOW_STREAMS } from '../domain/ledger';
import { AGENT_LOCAL_FILTER } from './collectors/agent-events';
import { API_TOKEN_CREATE_LOCAL, creationsByToken } from './collectors/api-token-events';
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
import { withWorkflowsUsage } from './collectors/workflows-usage';
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

/** The log sources a scan must read completely before its cursor may move. */
export const LOG_SOURCES: readonly SourceName[] = [...new Set(Object.values(STREAM_SOURCES))];

function read(collected: Collected, stream: LedgerStream): boolean {
  return collected.inventory.sources[STREAM_SOURCES[stream]].status === 'complete';
}

/** Replaces the log-derived inventory fields with what the ledger and the fresh events say together. */
export function applyLedger(collected: Collected, entries: readonly LedgerEntry[]): void {
  const { inventory } = collected;
  const since = inventory.logWindow.since;
  const events = (stream: LedgerStream): LogEventSummary[] => {
    const all = streamEvents(entries, stream, collected.logEvents[stream] ?? []);
    return WINDOW_STREAMS.includes(stream) ? all.filter((event) => event.published >= since) : all;
  };
  if (read(collected, 'workflows')) {
    const connections = replayWorkflowsConnections(events('workflows'));
    const usage = collected.workflowsUsage;
    inventory.workflowsConnections = usage ? withWorkflowsUsage(connections.live, usage) : connections.live;
    inventory.endedWorkflowsConnections = connections.ended;
  }
  if (read(collected, 'provisioningAuthorizations')) {
    inventory.provisioningAuthorizations = lastAuthorizationPerApp(events('provisioningAuthorizations'));
    inventory.provisioningAuthFailures = events('provisioningAuthFailures');
    inventory.deactivationPushFailures = events('deactivationPushFailures');
  }
  if (read(collected, 'agentRegistrations')) collected.agentEvents = events('agentRegistrations');
  if (read(collected, 'apiTokenCreations')) inventory.apiTokenCreations = creationsByToken(events('apiTokenCreations'));
}

function integrationOf(stream: LedgerStream, event: LogEventSummary): string {
  if (stream === 'workflows') return connectionOf(event)?.id ?? '';
  const type =
    stream === 'apiTokenCreations' ? 'Token' : stream === 'agentRegistrations' ? 'AgentInstance' : 'AppInstance';
  return event.target.find((t) => t.type === type)?.id ?? '';
}

function accountOf(stream: LedgerStream, event: LogEventSummary): string | null {
  const account = stream === 'workflows' ? authorizerOf(event) : event.actor;
  return account?.id || account?.alternateId || null;
}

/** The fresh events of every stream read completely, as ledger entries (events without a uuid left out). */
export function freshEntries(collected: Collected): LedgerEntry[] {
  const entries: LedgerEntry[] = [];
  for (const [stream, events] of Object.entries(collected.logEvents) as [LedgerStream, LogEventSummary[]][]) {
    if (!read(collected, stream)) continue;
    for (const event of events) {
      if (!event.uuid) continue;
      entries.push({
        stream,
        uuid: event.uuid,
        integration: integrationOf(stream, event),
        account: accountOf(stream, event),
        eventType: event.eventType,
        published: event.published,
        event,
      });
    }
  }
  return entries;
}
