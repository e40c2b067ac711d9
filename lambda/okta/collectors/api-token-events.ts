import type { LogEventSummary, SourceName } from '../../domain/inventory';
import type { OktaClient } from '../client';
import { eventTypeFilter, type LocalFilter, type LogWindow, queryLog } from '../system-log';

/** system.api_token.create events (okta.logs.read). */
export const API_TOKEN_EVENT_SOURCES: readonly SourceName[] = ['apiTokenEvents'];

/** Token id (the Token target) -> its latest creation event. */
export function creationsByToken(events: readonly LogEventSummary[]): Record<string, LogEventSummary> {
  const byToken: Record<string, LogEventSummary> = {};
  for (const event of events) {
    if (event.outcome.result !== null && event.outcome.result !== 'SUCCESS') continue;
    const token = event.target.find((t) => t.type === 'Token');
    if (!token) continue;
    const previous = byToken[token.id];
    if (!previous || previous.published <= event.published) byToken[token.id] = event;
  }
  return byToken;
}

export const API_TOKEN_CREATE_LOCAL: LocalFilter = {
  eventTypes: ['system.api_token.create'],
  matches: (event) => event.eventType === 'system.api_token.create',
};

export async function readApiTokenCreationEvents(client: OktaClient, window: LogWindow): Promise<LogEventSummary[]> {
  return queryLog(
    client,
    window,
    eventTypeFilter(['system.api_token.create']),
    'API token creation events',
    API_TOKEN_CREATE_LOCAL,
  );
}
