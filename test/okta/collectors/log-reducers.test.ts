import { describe, expect, it } from 'vitest';
import type { LogEntity, LogEventSummary } from '../../../lambda/domain/inventory';
import { registrationsByAgent } from '../../../lambda/okta/collectors/agent-events';
import { creationsByToken } from '../../../lambda/okta/collectors/api-token-events';
import { lastAuthorizationPerApp } from '../../../lambda/okta/collectors/provisioning-events';
import { replayWorkflowsConnections } from '../../../lambda/okta/collectors/workflows-connections';

// The pure reductions applied to System Log events after a query.

const ann: LogEntity = { id: '00uann', type: 'User', alternateId: 'ann@example.com', displayName: 'Ann' };
const ben: LogEntity = { id: '00uben', type: 'User', alternateId: 'ben@example.com', displayName: 'Ben' };
const slack: LogEntity = { id: '0oaslack', type: 'AppInstance', alternateId: null, displayName: 'Slack' };

function event(
  uuid: string,
  eventType: string,
  published: string,
  actor: LogEntity | null,
  target: LogEntity[],
  result: string | null = 'SUCCESS',
): LogEventSummary {
  return { uuid, eventType, published, actor, target, outcome: { result, reason: null } };
}

const conn = (id: string, name = 'Slack - team'): LogEntity => ({
  id,
  type: 'Connection',
  alternateId: null,
  displayName: name,
});

describe('Workflows connections', () => {
  const create = 'workflows.user.connection.create';

  it('ends a connection on revoke after its last create, and says when it ended', () => {
    const { live, ended } = replayWorkflowsConnections([
      event('1', create, '2026-01-01T00:00:00Z', ann, [ann, slack, conn('c1')]),
      event('2', 'workflows.user.connection.revoke', '2026-01-02T00:00:00Z', ann, [ann, slack, conn('c1')]),
    ]);
    expect(live).toEqual([]);
    expect(ended.map((c) => [c.id, c.eventType])).toEqual([['c1', 'workflows.user.connection.revoke']]);
  });

  it('keeps a connection created again after a delete, with the new authorizer', () => {
    const { live } = replayWorkflowsConnections([
      event('3', create, '2026-01-03T00:00:00Z', ben, [ben, slack, conn('c1')]),
      event('1', create, '2026-01-01T00:00:00Z', ann, [ann, slack, conn('c1')]),
      event('2', 'workflows.user.connection.delete', '2026-01-02T00:00:00Z', ann, [ann, slack, conn('c1')]),
    ]);
    expect(live.map((c) => [c.id, c.lastAuthorizedBy.id, c.connector])).toEqual([['c1', '00uben', 'Slack']]);
  });

  it('names a connection without a target id by connector and display name', () => {
    const { live } = replayWorkflowsConnections([
      event('1', create, '2026-01-01T00:00:00Z', ann, [ann, slack, { ...conn('', 'Slack - ops') }]),
    ]);
    expect(live.map((c) => c.id)).toEqual(['Slack/Slack - ops']);
  });

  it('ignores events that failed', () => {
    const { live } = replayWorkflowsConnections([
      event('1', create, '2026-01-01T00:00:00Z', ann, [ann, slack, conn('c1')], 'FAILURE'),
    ]);
    expect(live).toEqual([]);
  });
});

describe('provisioning authorizations', () => {
  it('keeps the latest person-made update per app and ignores system actors', () => {
    const system: LogEntity = { id: 'sys', type: 'SystemPrincipal', alternateId: null, displayName: null };
    const byApp = lastAuthorizationPerApp([
      event('1', 'application.lifecycle.update', '2026-01-01T00:00:00Z', ann, [slack]),
      event('2', 'application.lifecycle.update', '2026-01-02T00:00:00Z', ben, [slack]),
      event('3', 'application.lifecycle.update', '2026-01-03T00:00:00Z', system, [slack]),
    ]);
    expect(byApp['0oaslack'].uuid).toBe('2');
  });
});

describe('agent registrations and token creations', () => {
  it('ignores registrations that name no known agent', () => {
    const byAgent = registrationsByAgent(
      [event('1', 'system.agent.register', '2026-01-01T00:00:00Z', ann, [{ ...slack, id: 'other' }])],
      new Set(['a1']),
    );
    expect(byAgent).toEqual({});
  });

  it('keeps the latest creation per token id', () => {
    const token = (id: string): LogEntity => ({ id, type: 'Token', alternateId: null, displayName: 'T' });
    const byToken = creationsByToken([
      event('2', 'system.api_token.create', '2026-01-02T00:00:00Z', ben, [token('00T1')]),
      event('1', 'system.api_token.create', '2026-01-01T00:00:00Z', ann, [token('00T1')]),
    ]);
    expect(byToken['00T1'].actor?.id).toBe('00uben');
  });
});
