// Compliant: every AD agent is OPERATIONAL.
import type { Rule, RuleResult } from '../domain/rule';
import { listUnreadable, REFERENCES } from './support';

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
  sources: ['agentPools'],
  evaluate(inventory): RuleResult[] {
    const unreadable = listUnreadable(inventory, 'agentPools', 'ad_agent', 'AD agent status');
    if (unreadable) return unreadable;
    const results: RuleResult[] = [];
    for (const pool of inventory.agentPools) {
      const adAgents = pool.agents.filter((a) => a.type.toUpperCase() === 'AD' || pool.type.toUpperCase() === 'AD');
      const operational = adAgents.filter((a) => a.operationalStatus === 'OPERATIONAL').length;
      for (const agent of adAgents) {
        const resource = { type: 'ad_agent' as const, id: agent.id, name: agent.name };
        const evidence = {
          operationalStatus: agent.operationalStatus,
          lastConnection: agent.lastConnection,
          version: agent.version,
          poolId: pool.id,
          poolName: pool.name,
          operationalAgentsInPool: operational,
        };
        if (agent.operationalStatus === '') {
          // Okta sent no status: whether the agent runs cannot be told, which is not a verdict.
          results.push({
            status: 'UNKNOWN',
            resource,
            owner: null,
            message: `AD agent "${agent.name}" in pool "${pool.name}" reports no operational status, so whether it is running cannot be told.`,
            evidence,
          });
          continue;
        }
        if (agent.operationalStatus === 'OPERATIONAL') {
          results.push({
            status: 'PASS',
            resource,
            owner: null,
            message: `AD agent "${agent.name}" in pool "${pool.name}" is OPERATIONAL.`,
            evidence,
          });
          continue;
        }
        const since = agent.lastConnection ? ` (last connected ${agent.lastConnection})` : '';
        results.push(
          operational === 0
            ? {
                status: 'FAIL',
                severity: 'high',
                resource,
                owner: null,
                message: `AD agent "${agent.name}" is ${agent.operationalStatus}${since} and pool "${pool.name}" has no operational agent left: the directory integration is down.`,
                evidence,
              }
            : {
                status: 'FAIL',
                resource,
                owner: null,
                message: `AD agent "${agent.name}" is ${agent.operationalStatus}${since}; pool "${pool.name}" still has ${operational} operational agent${operational === 1 ? '' : 's'}.`,
                evidence,
              },
        );
      }
    }
    return results;
  },
};
