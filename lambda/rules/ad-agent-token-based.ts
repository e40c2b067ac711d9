// Compliant: every AD agent runs 3.18.0 or later, which registers with OAuth 2.0 instead of an admin's API token.
import { agentUsesOAuth } from '../domain/ad-agent';
import { CONTROLS } from '../domain/compliance';
import type { FindingOwner } from '../domain/finding';
import type { AdAgent, AgentPool, Inventory } from '../domain/inventory';
import type { Rule, RuleContext, RuleResult } from '../domain/rule';
import { ownerPhrase, toOwner } from './support/phrasing';
import { REFERENCES } from './support/references';
import { adAgentsOf, agentResource } from './support/resources';
import { failedSource } from './support/sources';
import { verdicts } from './support/verdicts';

interface Installer {
  owner: FindingOwner | null;
  /** How the message names the installer, or why it cannot. */
  phrase: string;
  evidence: Record<string, unknown>;
}

/** Who installed a token-based agent, from its registration event in the System Log. */
function installerOf(agent: AdAgent, inventory: Inventory, ctx: RuleContext): Installer {
  const registration = inventory.agentRegistrations[agent.id];
  if (registration?.actor) {
    const owner = toOwner(ctx.classifyOwner(registration.actor.id), registration.actor);
    return {
      owner,
      phrase: ownerPhrase(owner),
      evidence: {
        installedBy: owner.login ?? owner.id,
        registrationEvent: { uuid: registration.uuid, published: registration.published },
      },
    };
  }
  const logFailure = failedSource(inventory, 'agentEvents');
  if (logFailure) {
    return {
      owner: null,
      phrase: 'not identifiable: the System Log could not be read',
      evidence: { installedBy: `unknown: ${logFailure.source} could not be read (${logFailure.reason})` },
    };
  }
  return {
    owner: null,
    phrase: 'not identifiable: it was installed before the System Log window',
    evidence: { installedBy: `unknown: no registration event since ${inventory.logWindow.since}` },
  };
}

function judge(agent: AdAgent, pool: AgentPool, inventory: Inventory, ctx: RuleContext): RuleResult {
  const evidence = { version: agent.version, poolId: pool.id, poolName: pool.name };
  const usesOAuth = agentUsesOAuth(agent.version);
  if (usesOAuth === null) {
    return verdicts(agentResource(agent), null, evidence).unknown(
      `AD agent "${agent.name}" reports ${agent.version === null ? 'no version' : `version "${agent.version}"`}, so whether it runs on an admin's API token cannot be told.`,
    );
  }
  if (usesOAuth) {
    return verdicts(agentResource(agent), null, evidence).pass(
      `AD agent "${agent.name}" runs version ${agent.version}, which registers with OAuth 2.0 and depends on no admin account.`,
    );
  }
  const installer = installerOf(agent, inventory, ctx);
  return verdicts(agentResource(agent), installer.owner, evidence).fail(
    `AD agent "${agent.name}" runs version ${agent.version}, which authenticates with an API token of the admin who installed it (${installer.phrase}): the agent stops when that account is deactivated.`,
    installer.evidence,
  );
}

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
  compliance: [CONTROLS.nhiInsecureAuthentication],
  sources: ['agentPools'],
  contextSources: ['agentEvents', 'owners', 'ownerGroups'],
  listedFrom: 'agentPools',
  listedWhat: 'AD agent versions',
  dependsOn: 'installer',
  evaluate(inventory, ctx): RuleResult[] {
    return inventory.agentPools.flatMap((pool) => adAgentsOf(pool).map((agent) => judge(agent, pool, inventory, ctx)));
  },
};
