// The rule catalogue: an explicit list, sorted by id (a bundler cannot follow folder scanning).
import type { Rule } from '../domain/rule';
import { adAgentNotOperational } from './ad-agent-not-operational';
import { adAgentTokenBased } from './ad-agent-token-based';
import { apiTokenExpiring } from './api-token-expiring';
import { apiTokenOwnerIsHuman } from './api-token-owner-is-human';
import { apiTokenOwnerNotActive } from './api-token-owner-not-active';
import { apiTokenOwnerSuperAdmin } from './api-token-owner-super-admin';
import { apiTokenUnrestrictedNetwork } from './api-token-unrestricted-network';
import { apiTokenUnused } from './api-token-unused';
import { org2orgTokenAuth } from './org2org-token-auth';
import { ownerInactive } from './owner-inactive';
import { ownerLeaving } from './owner-leaving';
import { provisioningAuthFailing } from './provisioning-auth-failing';
import { provisioningAuthorizedByHuman } from './provisioning-authorized-by-human';
import { provisioningConnectionDisabled } from './provisioning-connection-disabled';
import { provisioningDeactivationDisabled } from './provisioning-deactivation-disabled';
import { provisioningDeactivationNotPushed } from './provisioning-deactivation-not-pushed';
import { workflowsConnectionAuthorizedByHuman } from './workflows-connection-authorized-by-human';
import { workflowsConnectionAuthorizerNotActive } from './workflows-connection-authorizer-not-active';

export const RULES: readonly Rule[] = Object.freeze([
  adAgentNotOperational,
  adAgentTokenBased,
  apiTokenExpiring,
  apiTokenOwnerIsHuman,
  apiTokenOwnerNotActive,
  apiTokenOwnerSuperAdmin,
  apiTokenUnrestrictedNetwork,
  apiTokenUnused,
  org2orgTokenAuth,
  ownerInactive,
  ownerLeaving,
  provisioningAuthFailing,
  provisioningAuthorizedByHuman,
  provisioningConnectionDisabled,
  provisioningDeactivationDisabled,
  provisioningDeactivationNotPushed,
  workflowsConnectionAuthorizedByHuman,
  workflowsConnectionAuthorizerNotActive,
]);

export const RULE_IDS: readonly string[] = RULES.map((r) => r.id);

export function getRule(id: string): Rule | undefined {
  return RULES.find((r) => r.id === id);
}
