import { describe, expect, it } from 'vitest';
import { collectAgentPools } from '../../lambda/okta/collectors/agent-pools';
import { collectApiTokens } from '../../lambda/okta/collectors/api-tokens';
import { itemsOf, type Json, successes } from './recordings';
import { withReplay } from './replay-client';

// Every recorded API token and AD agent goes through the collector that reads it, through the
// real SDK client, and comes out as recorded. Only single objects were recorded: the scanner
// reads lists, so each is served as a one-item list at the list path.

const obj = (value: unknown): Json => (value ?? {}) as Json;

describe('api-tokens recordings through collectApiTokens', () => {
  it.each(successes('api-tokens').map((r) => [r.file, r] as const))('%s', async (_file, recording) => {
    const recorded = itemsOf(recording);
    const { result, server } = await withReplay([{ path: '/api/v1/api-tokens', body: recorded }], collectApiTokens);
    expect(server.requests.map((r) => r.path)).toEqual(['/api/v1/api-tokens']);
    expect(result).toEqual(
      recorded.map((t) => {
        const network = obj(t.network);
        return {
          id: t.id,
          name: t.name,
          userId: t.userId,
          clientName: t.clientName,
          created: t.created,
          lastUpdated: t.lastUpdated,
          expiresAt: t.expiresAt,
          tokenWindow: t.tokenWindow,
          // A zone-restricted token omits `include` (README "API tokens"): nothing is invented.
          network: { connection: network.connection, include: network.include ?? [], exclude: network.exclude ?? [] },
        };
      }),
    );
  });
});

describe('agent-pools recordings through collectAgentPools', () => {
  // Only pool updates were recorded (GET /api/v1/agentPools/{poolId}/updates/{id}); the scanner
  // lists pools. Each update's agents are served as one pool whose id is the recorded poolId.
  it.each(successes('agent-pools').map((r) => [r.file, r] as const))('%s', async (_file, recording) => {
    const update = obj(recording.response.body);
    const poolId = recording.request.path.split('/')[4];
    const agents = update.agents as Json[];
    const pool = { id: poolId, name: update.name, type: update.agentType, agents };
    const { result, server } = await withReplay([{ path: '/api/v1/agentPools', body: [pool] }], collectAgentPools);
    expect(server.requests[0].query.get('poolType')).toBe('AD');
    expect(result).toHaveLength(1);
    expect(result[0].id).toBe(poolId);
    expect(result[0].agents).toEqual(
      agents.map((a) => ({
        id: a.id,
        name: a.name,
        poolId: a.poolId,
        type: a.type,
        operationalStatus: a.operationalStatus,
        version: a.version,
        // Okta sends epoch milliseconds (README "Agent pools").
        lastConnection: new Date(a.lastConnection as number).toISOString(),
        isLatestGAedVersion: a.isLatestGAedVersion,
      })),
    );
    expect(result[0].agents.every((agent) => agent.poolId === poolId)).toBe(true);
  });

  it('the pool id is the id of an active_directory app, whose signOnMode is null', () => {
    const apps = successes('apps').flatMap(itemsOf);
    for (const recording of successes('agent-pools')) {
      const poolId = recording.request.path.split('/')[4];
      const app = apps.find((a) => a.id === poolId);
      expect(app, poolId).toMatchObject({ name: 'active_directory', signOnMode: null });
    }
  });
});
