// Compliant: every API token is owned by a service account, never by a person.
import { CONTROLS } from '../domain/compliance';
import type { Rule, RuleResult } from '../domain/rule';
import { ownerPhrase, tokenLabel, toOwner } from './support/phrasing';
import { REFERENCES } from './support/references';
import { tokenEvidence, tokenResource } from './support/resources';
import { byOwnerKind, verdicts } from './support/verdicts';

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
  compliance: [CONTROLS.stigTokenDedicatedAccount],
  sources: ['apiTokens', 'owners', 'ownerGroups'],
  listedFrom: 'apiTokens',
  listedWhat: 'API token owners',
  dependsOn: 'owner',
  evaluate(inventory, ctx): RuleResult[] {
    return inventory.apiTokens.map((token): RuleResult => {
      const classification = ctx.classifyOwner(token.userId);
      const owner = toOwner(classification);
      const row = verdicts(tokenResource(token), owner, {
        ...tokenEvidence(token, inventory),
        ownerSignals: owner.signals,
      });
      return byOwnerKind(row, owner.kind, {
        service: `${tokenLabel(token)} is owned by ${ownerPhrase(owner)}.`,
        human: `${tokenLabel(token)} is owned by ${ownerPhrase(owner)}: it stops working when that account is deactivated.`,
        unknown: `Could not tell whether the owner of ${tokenLabel(token)} is a service account: ${ownerPhrase(owner, classification.missing)}.`,
        unknownEvidence: { ownerMissing: classification.missing },
      });
    });
  },
};
