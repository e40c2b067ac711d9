import type { LogEntity, WorkflowsConnection, WorkflowsUsage } from '../../domain/inventory';
import type { OktaClient } from '../client';
import { type LocalFilter, type LogWindow, queryLogAs } from '../system-log';
import { countTypes, type UsageEvent, usageEvent } from '../usage-events';

// Okta API calls made by Okta Workflows' Okta connector are logged with the account that
// authorized the connection as the actor and the user agent `Azuqua` (Okta support article
// "Actions Taken by Okta Workflows are Attributed to a User Account in the System Log"). Such an
// event proves a connection runs on that account now, even when its creation is older than the
// log. The filter's `co` is one of the operators the System Log's `filter` accepts ("All
// operators except [ ] are supported", listLogEvents in test/data/okta-openapi/management.yaml).
export const WORKFLOWS_USAGE_FILTER = 'client.userAgent.rawUserAgent co "Azuqua"';

/** The same filter applied here (`co` ignores case), to the events of an incremental read's shared query. */
export const WORKFLOWS_USAGE_LOCAL: LocalFilter<UsageEvent> = {
  eventTypes: [],
  clauses: [WORKFLOWS_USAGE_FILTER],
  matches: (event) => /azuqua/i.test(event.userAgent ?? ''),
};

/** The connector name the Okta connector's connection events carry. */
const OKTA_CONNECTOR = /^okta$/i;

/** Actor id -> the actor and what Workflows did as them; only users (people or service accounts) act this way. */
export function workflowsUsageByActor(
  events: readonly UsageEvent[],
): Map<string, { actor: LogEntity; usage: WorkflowsUsage }> {
  const byActor = new Map<string, { actor: LogEntity; events: UsageEvent[] }>();
  for (const event of events) {
    const actor = event.actor;
    if (!actor?.id || actor.type !== 'User' || !event.userAgent?.includes('Azuqua')) continue;
    const entry = byActor.get(actor.id) ?? { actor, events: [] };
    entry.events.push(event);
    byActor.set(actor.id, entry);
  }
  const usage = new Map<string, { actor: LogEntity; usage: WorkflowsUsage }>();
  for (const [id, { actor, events: acted }] of byActor) {
    const last =
      acted
        .map((e) => e.published)
        .sort()
        .at(-1) ?? '';
    usage.set(id, { actor, usage: { lastUsedAt: last, eventCount: acted.length, eventTypes: countTypes(acted) } });
  }
  return usage;
}

/**
 * The live connections with usage added: an Okta connection last authorized by the acting
 * account gets the usage as evidence; an account with no such connection in the window gets a
 * connection of its own, "Okta (used by Workflows as <login>)", whose authorization is unknown.
 */
export function withWorkflowsUsage(
  live: readonly WorkflowsConnection[],
  usage: ReadonlyMap<string, { actor: LogEntity; usage: WorkflowsUsage }>,
): WorkflowsConnection[] {
  const merged = live.map((connection) => ({ ...connection }));
  for (const [actorId, acted] of usage) {
    const known = merged.filter(
      (c) => c.lastAuthorizedBy.id === actorId && c.connector !== null && OKTA_CONNECTOR.test(c.connector),
    );
    for (const connection of known) connection.usage = acted.usage;
    if (known.length > 0) continue;
    const login = acted.actor.alternateId ?? acted.actor.displayName ?? actorId;
    merged.push({
      id: `okta-used-by-workflows/${actorId}`,
      name: `Okta (used by Workflows as ${login})`,
      connector: 'Okta',
      lastAuthorizedBy: acted.actor,
      lastAuthorizedAt: null,
      lastEventType: null,
      usage: acted.usage,
    });
  }
  return merged.sort((a, b) => a.id.localeCompare(b.id));
}

/** The events Okta Workflows made in the window. */
export function readWorkflowsUsageEvents(client: OktaClient, window: LogWindow): Promise<UsageEvent[]> {
  return queryLogAs(
    client,
    window,
    WORKFLOWS_USAGE_FILTER,
    'Okta Workflows activity',
    usageEvent,
    WORKFLOWS_USAGE_LOCAL,
  );
}
