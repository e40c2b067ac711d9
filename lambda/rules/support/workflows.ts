// The frame both Workflows rules share: who authorized each live connection, and the
// connections that ended within the log window.

import type { FindingOwner, ResourceRef } from '../../domain/finding';
import type { Inventory, WorkflowsConnection } from '../../domain/inventory';
import type { OwnerClassification, RuleContext, RuleResult } from '../../domain/rule';
import { toOwner } from './phrasing';
import { workflowsResource } from './resources';
import { verdicts } from './verdicts';

/** What both Workflows rules show of a connection: its last authorization and, if seen, its use. */
export function connectionEvidence(connection: WorkflowsConnection): Record<string, unknown> {
  const usage = connection.usage;
  return {
    connector: connection.connector,
    lastAuthorizedAt: connection.lastAuthorizedAt,
    lastEventType: connection.lastEventType,
    lastUsedAt: usage?.lastUsedAt ?? null,
    eventCount: usage?.eventCount ?? 0,
    eventTypes: usage?.eventTypes ?? {},
  };
}

/**
 * "was last authorized on <date> by", "… and last acted on <date> (n events) as", or, for a
 * connection known only from its activity, "acted on <date> (n events) as".
 */
export function connectionActsAs(connection: WorkflowsConnection): string {
  const usage = connection.usage;
  const acted = usage
    ? `last acted on ${usage.lastUsedAt.slice(0, 10)} (${usage.eventCount} logged change${usage.eventCount === 1 ? '' : 's'})`
    : null;
  if (connection.lastAuthorizedAt === null) return `${acted ?? 'acted'} as`;
  const authorized = `was last authorized on ${connection.lastAuthorizedAt.slice(0, 10)}`;
  return acted ? `${authorized} and ${acted} by` : `${authorized} by`;
}

/** What both Workflows rules judge: a live connection, its authorizer and the report's resource. */
export interface WorkflowsSubject {
  connection: WorkflowsConnection;
  classification: OwnerClassification;
  owner: FindingOwner;
  resource: ResourceRef;
}

/**
 * A verdict per live connection from `judge`, and a PASS per connection deleted or revoked within
 * the log window (what resolves its findings, since a connection absent from a scan may only have
 * been authorized before the window). The engine answers for an unread System Log.
 */
export function evaluateWorkflowsConnections(
  inventory: Inventory,
  ctx: RuleContext,
  judge: (subject: WorkflowsSubject) => RuleResult,
): RuleResult[] {
  const live = inventory.workflowsConnections.map((connection) => {
    const classification = ctx.classifyOwner(connection.lastAuthorizedBy.id);
    return judge({
      connection,
      classification,
      owner: toOwner(classification, connection.lastAuthorizedBy),
      resource: workflowsResource(connection),
    });
  });
  const ended = (inventory.endedWorkflowsConnections ?? []).map((connection) => {
    const how = connection.eventType.endsWith('.revoke') ? 'revoked' : 'deleted';
    return verdicts(workflowsResource(connection), null, {
      endedAt: connection.endedAt,
      eventType: connection.eventType,
    }).pass(
      `Workflows connection "${connection.name}" was ${how} on ${connection.endedAt.slice(0, 10)}: it no longer acts as anyone.`,
    );
  });
  return [...live, ...ended];
}
