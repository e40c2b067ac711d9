// Compliant: every API token's owner exists and is ACTIVE, so Okta still accepts the token.
import { CONTROLS } from '../domain/compliance';
import type { Rule, RuleResult } from '../domain/rule';
import { ownerPhrase, statusPhrase, tokenLabel, toOwner } from './support/phrasing';
import { REFERENCES } from './support/references';
import { tokenEvidence, tokenResource } from './support/resources';
import { verdicts } from './support/verdicts';

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
  compliance: [CONTROLS.nhiImproperOffboarding],
  sources: ['apiTokens', 'owners'],
  listedFrom: 'apiTokens',
  listedWhat: 'API token owners',
  dependsOn: 'owner',
  evaluate(inventory, ctx): RuleResult[] {
    return inventory.apiTokens.map((token): RuleResult => {
      const classification = ctx.classifyOwner(token.userId);
      const owner = toOwner(classification);
      const label = tokenLabel(token);
      const row = verdicts(tokenResource(token), owner, {
        ...tokenEvidence(token, inventory),
        ownerStatus: owner.status,
        ownerMissing: classification.missing,
      });
      if (classification.missing) {
        return row.fail(
          `${label} is owned by user ${token.userId}, who no longer exists in Okta: Okta rejects the token.`,
        );
      }
      if (classification.user === null) {
        return row.unknown(`Could not check whether the owner of ${label} is active: ${ownerPhrase(owner)}.`);
      }
      if (!classification.status) {
        // Okta sent no status: not a reason to call the owner inactive, nor active.
        return row.unknown(
          `Okta gave no status for ${owner.login || token.userId}, owner of ${label}: whether Okta still accepts the token cannot be told.`,
        );
      }
      if (STILL_ACCEPTED.includes(classification.status)) {
        // Okta: "a user in a Password Reset or Locked Out state is still considered Active", and
        // tokens follow the lifecycle state, not the password (REFERENCES.tokenAfterPasswordReset).
        return {
          ...row.fail(
            `${label} is owned by ${owner.login}, whose account is ${classification.status}: Okta still accepts the token, but the owner cannot sign in until the account is recovered, and an admin may suspend or deactivate it next.`,
          ),
          severity: 'medium',
          remediation: `Move the integration to a service account (or an OAuth 2.0 service app) before the account of ${owner.login} is suspended or deactivated; until then the token keeps working.`,
        };
      }
      if (classification.status !== 'ACTIVE') {
        return row.fail(
          `${label} is owned by ${owner.login}, whose account is ${statusPhrase(classification.status ?? 'unknown')}: Okta accepts a token only while its owner is active.`,
        );
      }
      return row.pass(`${label} is owned by ${owner.login}, whose account is ACTIVE.`);
    });
  },
};
