import type { AgentPool, SourceName } from '../../domain/inventory';
import type { OktaClient } from '../client';
import { readAll } from '../paging';
import { obj, plainObject, str } from '../sdk-values';

/** GET /api/v1/agentPools?poolType=AD (okta.agentPools.read). */
export const AGENT_POOL_SOURCES: readonly SourceName[] = ['agentPools'];

export async function collectAgentPools(client: OktaClient): Promise<AgentPool[]> {
  // AD only: agents before 3.18.0 sign in with an API token of the Super Admin who installed
  // them; from 3.18.0 they use OAuth and no longer depend on that person (okta-api.md 2.5).
  const pools = await readAll('agent pools', await client.sdk.agentPoolsApi.listAgentPools({ poolType: 'AD' }));
  return pools.map((pool) => {
    const p = plainObject(pool);
    const agents = Array.isArray(p.agents) ? p.agents : [];
    return {
      id: str(p.id) ?? '',
      name: str(p.name) ?? '',
      type: str(p.type) ?? '',
      operationalStatus: str(p.operationalStatus) ?? '',
      agents: agents.map((agent) => {
        const a = obj(agent) ?? {};
        // lastConnection is epoch milliseconds (int64), not a date-time string.
        const last = typeof a.lastConnection === 'number' ? new Date(a.lastConnection) : null;
        return {
          id: str(a.id) ?? '',
          name: str(a.name) ?? '',
          poolId: str(a.poolId) ?? str(p.id) ?? '',
          type: str(a.type) ?? '',
          operationalStatus: str(a.operationalStatus) ?? '',
          // Kept raw ("3.9.1" vs "3.18.0" compare as versions, not strings): the rules decide.
          version: str(a.version),
          lastConnection: last && !Number.isNaN(last.getTime()) ? last.toISOString() : null,
          isLatestGAedVersion: typeof a.isLatestGAedVersion === 'boolean' ? a.isLatestGAedVersion : null,
        };
      }),
    };
  });
}
