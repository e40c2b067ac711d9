// Compliant: every API token was used within the last unusedTokenDays days.
import type { Rule, RuleResult } from '../domain/rule';
import { ownerPhrase, tokenLabel, toOwner } from './support/phrasing';
import { REFERENCES } from './support/references';
import { tokenEvidence, tokenResource } from './support/resources';
import { lastTokenUse, usageOf } from './support/token-usage';
import { verdicts } from './support/verdicts';

const DAY_MS = 86_400_000;

export const apiTokenUnused: Rule = {
  id: 'api-token-unused',
  title: 'API token unused',
  severity: 'low',
  resourceType: 'api_token',
  rationale:
    'A token nothing has used for weeks is access nobody needs: moving it to a service account keeps that access alive, revoking it removes it.',
  remediation:
    'Revoke the token in Security > API > Tokens rather than moving it to a service account; if something still needs it, it will show up as failing with 401 and can get an OAuth 2.0 service app instead.',
  references: [REFERENCES.apiTokens, REFERENCES.serviceApp],
  compliance: [],
  sources: ['apiTokens'],
  // The last use comes from the expiry; the log only adds the last logged change.
  contextSources: ['apiTokenUsage', 'owners', 'ownerGroups'],
  listedFrom: 'apiTokens',
  listedWhat: 'API token use',
  evaluate(inventory, ctx): RuleResult[] {
    const days = ctx.settings.unusedTokenDays;
    return inventory.apiTokens.map((token): RuleResult => {
      const owner = toOwner(ctx.classifyOwner(token.userId));
      const whose = `${tokenLabel(token)}, owned by ${ownerPhrase(owner)}`;
      const row = verdicts(tokenResource(token), owner, {
        ...tokenEvidence(token, inventory),
        unusedTokenDays: days,
        now: ctx.now.toISOString(),
      });
      const lastUse = lastTokenUse(token, usageOf(inventory, token));
      if (lastUse === null) {
        return row.unknown(
          `Okta gave no expiry or token window for ${whose}, and no logged use: its last use is unknown.`,
        );
      }
      const idleDays = Math.floor((ctx.now.getTime() - Date.parse(lastUse)) / DAY_MS);
      const date = lastUse.slice(0, 10);
      if (idleDays >= days) {
        return row.fail(
          `${whose}, was last used on ${date}, ${idleDays} days ago: revoke it rather than move it to a service account.`,
          { idleDays },
        );
      }
      return row.pass(`${whose}, was last used on ${date}, less than ${days} days ago.`, { idleDays });
    });
  },
};
