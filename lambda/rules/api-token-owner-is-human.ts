// Compliant: every API token is owned by a service account, never by a person.
import type { Rule, RuleResult } from '../domain/rule';
import { listUnreadable, ownerPhrase, REFERENCES, tokenEvidence, tokenLabel, tokenResource, toOwner } from './support';

export const apiTokenOwnerIsHuman: Rule = {
  id: 'api-token-owner-is-human',
  title: 'API token owned by a person',
  severity: 'high',
  resourceType: 'api_token',
  rationale:
    'An SSWS API token acts as the user who created it and is valid only while that user is active: when a person leaves and is deactivated, every integration using their token stops.',
  remediation:
    'Create a replacement token while signed in as a dedicated service account (Security > API > Tokens), or better replace it with an OAuth 2.0 service app (client credentials, private_key_jwt); switch the integration to it, then revoke this token.',
  references: [REFERENCES.apiTokens, REFERENCES.serviceApp],
  sources: ['apiTokens', 'owners', 'ownerGroups'],
  evaluate(inventory, ctx): RuleResult[] {
    const unreadable = listUnreadable(inventory, 'apiTokens', 'api_token', 'API token owners');
    if (unreadable) return unreadable;
    return inventory.apiTokens.map((token): RuleResult => {
      const classification = ctx.classifyOwner(token.userId);
      const owner = toOwner(classification);
      const resource = tokenResource(token);
      const evidence = { ...tokenEvidence(token), ownerSignals: owner.signals };
      if (owner.kind === 'service') {
        return {
          status: 'PASS',
          resource,
          owner,
          message: `${tokenLabel(token)} is owned by ${ownerPhrase(owner)}.`,
          evidence,
        };
      }
      if (owner.kind === 'human') {
        return {
          status: 'FAIL',
          resource,
          owner,
          message: `${tokenLabel(token)} is owned by ${ownerPhrase(owner)}: it stops working when that account is deactivated.`,
          evidence,
        };
      }
      return {
        status: 'UNKNOWN',
        resource,
        owner,
        message: `Could not tell whether the owner of ${tokenLabel(token)} is a service account: ${ownerPhrase(owner, classification.missing)}.`,
        evidence: { ...evidence, ownerMissing: classification.missing },
      };
    });
  },
};
