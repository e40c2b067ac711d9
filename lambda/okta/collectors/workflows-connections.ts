import type {
  EndedWorkflowsConnection,
  LogEntity,
  LogEventSummary,
  SourceName,
  WorkflowsConnection,
} from '../../domain/inventory';
import type { OktaClient } from '../client';
import { eventTypeFilter, type LocalFilter, type LogWindow, queryLog } from '../system-log';

/** workflows.user.connection.* events (okta.logs.read). */
export const WORKFLOWS_EVENT_SOURCES: readonly SourceName[] = ['workflowsEvents'];

// Okta has no API that lists Workflows connections or who authorized them: the System Log is
// the only record. The catalog says the targets are the user who made the connection, the
// connector app and the connection (by its display name); their `type` values are not
// documented, so the connection is "the target that is neither the User nor the AppInstance".
const CREATE = 'workflows.user.connection.create';
const REAUTHORIZE = 'workflows.user.connection.reauthorize';
const DELETE = 'workflows.user.connection.delete';
const REVOKE = 'workflows.user.connection.revoke';
export const WORKFLOWS_EVENT_TYPES = [CREATE, REAUTHORIZE, DELETE, REVOKE] as const;
export const WORKFLOWS_LOCAL_FILTER: LocalFilter = {
  eventTypes: WORKFLOWS_EVENT_TYPES,
  matches: (event) => (WORKFLOWS_EVENT_TYPES as readonly string[]).includes(event.eventType),
};

export function connectionOf(event: LogEventSummary): { id: string; name: string; connector: string | null } | null {
  const connector = event.target.find((t) => t.type === 'AppInstance');
  const connectorName = connector ? (connector.displayName ?? connector.alternateId ?? connector.id) : null;
  const target = event.target.find((t) => t.type !== 'User' && t.type !== 'AppInstance');
  if (!target) return null;
  const name = target.displayName ?? target.alternateId ?? target.id;
  const id = target.id || `${connectorName ?? 'unknown'}/${name}`;
  return { id, name, connector: connectorName };
}

/** The person who authorized: the User target the catalog describes, else the actor. */
export function authorizerOf(event: LogEventSummary): LogEntity | null {
  return event.target.find((t) => t.type === 'User') ?? event.actor;
}

/**
 * Replays the events oldest first: a create or reauthorize makes a connection live with that
 * authorizer; a later delete or revoke ends it (and it stays ended until a later create or
 * reauthorize). Failed events change nothing.
 */
export function replayWorkflowsConnections(events: readonly LogEventSummary[]): {
  live: WorkflowsConnection[];
  ended: EndedWorkflowsConnection[];
} {
  const live = new Map<string, WorkflowsConnection>();
  const ended = new Map<string, EndedWorkflowsConnection>();
  const ordered = [...events].sort((a, b) => a.published.localeCompare(b.published));
  for (const event of ordered) {
    if (event.outcome.result !== null && event.outcome.result !== 'SUCCESS') continue;
    const connection = connectionOf(event);
    if (!connection) continue;
    if (event.eventType === DELETE || event.eventType === REVOKE) {
      live.delete(connection.id);
      ended.set(connection.id, {
        id: connection.id,
        name: connection.name,
        endedAt: event.published,
        eventType: event.eventType,
      });
      continue;
    }
    ended.delete(connection.id);
    const authorizer = authorizerOf(event);
    if (!authorizer) continue;
    live.set(connection.id, {
      id: connection.id,
      name: connection.name,
      connector: connection.connector,
      lastAuthorizedBy: authorizer,
      lastAuthorizedAt: event.published,
      lastEventType: event.eventType,
    });
  }
  const byId = (a: { id: string }, b: { id: string }): number => a.id.localeCompare(b.id);
  return { live: [...live.values()].sort(byId), ended: [...ended.values()].sort(byId) };
}

/**
 * Successful creates and reauthorizations that name no connection or no authorizer: each may be
 * a live connection the scan cannot see, so its verdict cannot be given.
 */
export function unidentifiedAuthorizations(events: readonly LogEventSummary[]): number {
  return events.filter(
    (event) =>
      (event.eventType === CREATE || event.eventType === REAUTHORIZE) &&
      (event.outcome.result === null || event.outcome.result === 'SUCCESS') &&
      (connectionOf(event) === null || authorizerOf(event) === null),
  ).length;
}

/** The window's connection events, refused when one names no connection or authorizer. */
export async function readWorkflowsEvents(client: OktaClient, window: LogWindow): Promise<LogEventSummary[]> {
  const events = await queryLog(
    client,
    window,
    eventTypeFilter(WORKFLOWS_EVENT_TYPES),
    'Workflows connection events',
    WORKFLOWS_LOCAL_FILTER,
  );
  const unidentified = unidentifiedAuthorizations(events);
  if (unidentified > 0) {
    // Reading on would leave those connections out: no verdict, and their open findings resolved.
    throw new Error(
      `${unidentified} Workflows connection event${unidentified > 1 ? 's name' : ' names'} no connection or no authorizer, so the connections they authorized cannot be checked`,
    );
  }
  return events;
}
