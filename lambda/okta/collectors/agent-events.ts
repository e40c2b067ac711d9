import type { LogEventSummary, SourceName } from '../../domain/inventory';
import type { OktaClient } from '../client';
import { eventTypeFilter, type LocalFilter, type LogWindow, queryLog } from '../system-log';

/** Who installed (registered) each agent, from the System Log (okta.logs.read). */
export const AGENT_EVENT_SOURCES: readonly SourceName[] = ['agentEvents'];

export const AGENT_EVENT_TYPES = ['system.agent.register', 'system.agent.ad.create'] as const;
export const AGENT_LOCAL_FILTER: LocalFilter = {
  eventTypes: AGENT_EVENT_TYPES,
  matches: (event) => (AGENT_EVENT_TYPES as readonly string[]).includes(event.eventType),
};

/**
 * Agent id -> its latest registration event. The agent is the AgentInstance target, or any
 * target whose id is a known agent's (the target type for agents is not documented).
 */
export function registrationsByAgent(
  events: readonly LogEventSummary[],
  knownAgentIds: ReadonlySet<string>,
): Record<string, LogEventSummary> {
  const byAgent: Record<string, LogEventSummary> = {};
  for (const event of events) {
    if (event.outcome.result !== null && event.outcome.result !== 'SUCCESS') continue;
    const agent =
      event.target.find((t) => t.type === 'AgentInstance') ?? event.target.find((t) => knownAgentIds.has(t.id));
    if (!agent) continue;
    const previous = byAgent[agent.id];
    if (!previous || previous.published <= event.published) byAgent[agent.id] = event;
  }
  return byAgent;
}

export async function collectAgentEvents(client: OktaClient, window: LogWindow): Promise<LogEventSummary[]> {
  return queryLog(client, window, eventTypeFilter(AGENT_EVENT_TYPES), 'agent registration events', AGENT_LOCAL_FILTER);
}
