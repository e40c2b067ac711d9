// Compliant: every AD agent is OPERATIONAL.
import type { AdAgent, AgentPool } from '../domain/inventory';
import type { Rule, RuleResult } from '../domain/rule';
import { REFERENCES } from './support/references';
import { adAgentsOf, agentResource } from './support/resources';
import { verdicts } from './support/verdicts';

function judge(agent: AdAgent, pool: AgentPool, operational: number): RuleResult {
  const row = verdicts(agentResource(agent), null, {
    operationalStatus: agent.operationalStatus,
    lastConnection: agent.lastConnection,
    version: agent.version,
    poolId: pool.id,
    poolName: pool.name,
    operationalAgentsInPool: operational,
  });
  const where = `AD agent "${agent.name}" in pool "${pool.name}"`;
  if (agent.operationalStatus === '') {
    // Okta sent no status: whether the agent runs cannot be told, which is not a verdict.
    return row.unknown(`${where} reports no operational status, so whether it is running cannot be told.`);
  }
  if (agent.operationalStatus === 'OPERATIONAL') return row.pass(`${where} is OPERATIONAL.`);
  const since = agent.lastConnection ? ` (last connected ${agent.lastConnection})` : '';
  const down = `AD agent "${agent.name}" is ${agent.operationalStatus}${since}`;
  if (operational === 0) {
    return {
      ...row.fail(`${down} and pool "${pool.name}" has no operational agent left: the directory integration is down.`),
      severity: 'high',
    };
  }
  return row.fail(
    `${down}; pool "${pool.name}" still has ${operational} operational agent${operational === 1 ? '' : 's'}.`,
  );
}

export const adAgentNotOperational: Rule = {
  id: 'ad-agent-not-operational',
  title: 'AD agent not operational',
  severity: 'medium',
  resourceType: 'ad_agent',
  rationale:
    'An AD agent that is not operational no longer imports users or delegates authentication; when it was the last operational agent of its pool, the directory integration is down. A token-based agent whose installer was deactivated looks exactly like this.',
  remediation:
    "Check the agent host and its service; if it ran on a deactivated admin's API token, reinstall it as version 3.18.0 or later (OAuth 2.0), and keep at least two operational agents per domain.",
  references: [REFERENCES.agentPools, REFERENCES.adAgentSuperAdmin],
  compliance: [],
  sources: ['agentPools'],
  listedFrom: 'agentPools',
  listedWhat: 'AD agent status',
  evaluate(inventory): RuleResult[] {
    return inventory.agentPools.flatMap((pool) => {
      const adAgents = adAgentsOf(pool);
      const operational = adAgents.filter((a) => a.operationalStatus === 'OPERATIONAL').length;
      return adAgents.map((agent) => judge(agent, pool, operational));
    });
  },
};
