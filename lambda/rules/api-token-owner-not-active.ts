// Compliant: every API token's owner exists and is ACTIVE, so Okta still accepts the token.
import type { Rule, RuleResult } from '../domain/rule';
import {
  listUnreadable,
  ownerPhrase,
  REFERENCES,
  statusPhrase,
  tokenEvidence,
  tokenLabel,
  tokenResource,
  toOwner,
} from './support';

/** Statuses that stop the owner signing in but not the owner's tokens (Okta counts them as active). */
const STILL_ACCEPTED: readonly string[] = ['LOCKED_OUT', 'RECOVERY', 'PASSWORD_EXPIRED'];

export const apiTokenOwnerNotActive: Rule = {
  id: 'api-token-owner-not-active',
  title: 'API token owner is not active',
  severity: 'critical',
  resourceType: 'api_token',
  rationale:
    'Okta rejects tokens issued by users who are no longer active, and a token of a deactivated user cannot be reinstated: whatever still depends on it is already broken or will break.',
  remediation:
    'Find the integration that uses this token, create a new token for it while signed in as an active service account (or move it to an OAuth 2.0 service app), then revoke this token.',
  references: [
    REFERENCES.apiTokens,
    REFERENCES.adminDeactivated,
    REFERENCES.invalidToken,
    REFERENCES.tokenAfterPasswordReset,
  ],
  sources: ['apiTokens', 'owners'],
  evaluate(inventory, ctx): RuleResult[] {
    const unreadable = listUnreadable(inventory, 'apiTokens', 'api_token', 'API token owners');
    if (unreadable) return unreadable;
    return inventory.apiTokens.map((token): RuleResult => {
      const classification = ctx.classifyOwner(token.userId);
      const owner = toOwner(classification);
      const resource = tokenResource(token);
      const evidence = { ...tokenEvidence(token), ownerStatus: owner.status, ownerMissing: classification.missing };
      if (classification.missing) {
        return {
          status: 'FAIL',
          resource,
          owner,
          message: `${tokenLabel(token)} is owned by user ${token.userId}, who no longer exists in Okta: Okta rejects the token.`,
          evidence,
        };
      }
      if (classification.user === null) {
        return {
          status: 'UNKNOWN',
          resource,
          owner,
          message: `Could not check whether the owner of ${tokenLabel(token)} is active: ${ownerPhrase(owner)}.`,
          evidence,
        };
      }
      if (!classification.status) {
        // Okta sent no status: not a reason to call the owner inactive, nor active.
        return {
          status: 'UNKNOWN',
          resource,
          owner,
          message: `Okta gave no status for ${owner.login || token.userId}, owner of ${tokenLabel(token)}: whether Okta still accepts the token cannot be told.`,
          evidence,
        };
      }
      if (STILL_ACCEPTED.includes(classification.status)) {
        // Okta: "a user in a Password Reset or Locked Out state is still considered Active", and
        // tokens follow the lifecycle state, not the password (REFERENCES.tokenAfterPasswordReset).
        return {
          status: 'FAIL',
          resource,
          owner,
          severity: 'medium',
          message: `${tokenLabel(token)} is owned by ${owner.login}, whose account is ${classification.status}: Okta still accepts the token, but the owner cannot sign in until the account is recovered, and an admin may suspend or deactivate it next.`,
          remediation: `Move the integration to a service account (or an OAuth 2.0 service app) before the account of ${owner.login} is suspended or deactivated; until then the token keeps working.`,
          evidence,
        };
      }
      if (classification.status !== 'ACTIVE') {
        return {
          status: 'FAIL',
          resource,
          owner,
          message: `${tokenLabel(token)} is owned by ${owner.login}, whose account is ${statusPhrase(classification.status ?? 'unknown')}: Okta accepts a token only while its owner is active.`,
          evidence,
        };
      }
      return {
        status: 'PASS',
        resource,
        owner,
        message: `${tokenLabel(token)} is owned by ${owner.login}, whose account is ACTIVE.`,
        evidence,
      };
    });
  },
};
