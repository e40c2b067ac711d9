// Compliant: every AD agent runs 3.18.0 or later, which registers with OAuth 2.0 instead of an admin's API token.
import { agentUsesOAuth } from '../domain/ad-agent';
import type { FindingOwner } from '../domain/finding';
import type { Rule, RuleResult } from '../domain/rule';
import { failedSource, listUnreadable, ownerPhrase, REFERENCES, toOwner } from './support';

export const adAgentTokenBased: Rule = {
  id: 'ad-agent-token-based',
  title: "AD agent runs on an admin's API token",
  severity: 'high',
  resourceType: 'ad_agent',
  rationale:
    'AD agents before 3.18.0 authenticate with an API token created for the Super Administrator who installed them: if that account is deactivated the token cannot be reinstated and the agent must be reinstalled. From 3.18.0 agents register with OAuth 2.0 and no longer depend on any admin.',
  remediation:
    'Upgrade the AD agent to 3.18.0 or later (it registers with OAuth 2.0 and DPoP and runs independently of the installing account), then revoke the old agent API token in Security > API > Tokens.',
  references: [REFERENCES.adAgentOAuth, REFERENCES.adAgentSuperAdmin],
  sources: ['agentPools'],
  contextSources: ['agentEvents', 'owners', 'ownerGroups'],
  evaluate(inventory, ctx): RuleResult[] {
    const unreadable = listUnreadable(inventory, 'agentPools', 'ad_agent', 'AD agent versions');
    if (unreadable) return unreadable;
    const logFailure = failedSource(inventory, 'agentEvents');
    const results: RuleResult[] = [];
    for (const pool of inventory.agentPools) {
      for (const agent of pool.agents) {
        if (agent.type.toUpperCase() !== 'AD' && pool.type.toUpperCase() !== 'AD') continue;
        const resource = { type: 'ad_agent' as const, id: agent.id, name: agent.name };
        const evidence: Record<string, unknown> = { version: agent.version, poolId: pool.id, poolName: pool.name };
        const usesOAuth = agentUsesOAuth(agent.version);
        if (usesOAuth === null) {
          results.push({
            status: 'UNKNOWN',
            resource,
            owner: null,
            message: `AD agent "${agent.name}" reports ${agent.version === null ? 'no version' : `version "${agent.version}"`}, so whether it runs on an admin's API token cannot be told.`,
            evidence,
          });
          continue;
        }
        if (usesOAuth) {
          results.push({
            status: 'PASS',
            resource,
            owner: null,
            message: `AD agent "${agent.name}" runs version ${agent.version}, which registers with OAuth 2.0 and depends on no admin account.`,
            evidence,
          });
          continue;
        }
        const registration = inventory.agentRegistrations[agent.id];
        let owner: FindingOwner | null = null;
        let installer: string;
        if (registration?.actor) {
          owner = toOwner(ctx.classifyOwner(registration.actor.id), registration.actor);
          installer = ownerPhrase(owner);
          evidence.installedBy = owner.login ?? owner.id;
          evidence.registrationEvent = { uuid: registration.uuid, published: registration.published };
        } else if (logFailure) {
          installer = 'not identifiable: the System Log could not be read';
          evidence.installedBy = `unknown: ${logFailure.source} could not be read (${logFailure.reason})`;
        } else {
          installer = 'not identifiable: it was installed before the System Log window';
          evidence.installedBy = `unknown: no registration event since ${inventory.logWindow.since}`;
        }
        results.push({
          status: 'FAIL',
          resource,
          owner,
          message: `AD agent "${agent.name}" runs version ${agent.version}, which authenticates with an API token of the admin who installed it (${installer}): the agent stops when that account is deactivated.`,
          evidence,
        });
      }
    }
    return results;
  },
};
