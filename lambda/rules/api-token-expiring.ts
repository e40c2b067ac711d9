// Compliant: every API token expires later than expiryWarningDays from now (it is in regular use).
import type { Rule, RuleResult } from '../domain/rule';
import { ownerPhrase, tokenLabel, toOwner } from './support/phrasing';
import { REFERENCES } from './support/references';
import { tokenEvidence, tokenResource } from './support/resources';
import { verdicts } from './support/verdicts';

const DAY_MS = 86_400_000;

export const apiTokenExpiring: Rule = {
  id: 'api-token-expiring',
  title: 'API token about to expire',
  severity: 'medium',
  resourceType: 'api_token',
  rationale:
    'Okta revokes an API token after 30 days without use; a token close to its expiry is either unused (revoke it) or used by something that runs rarely and will find it gone.',
  remediation:
    'If the token is still needed, make the integration use it (each use renews it for 30 days) or replace it with an OAuth 2.0 service app, which does not expire this way; if it is not needed, revoke it.',
  references: [REFERENCES.apiTokens, REFERENCES.serviceApp],
  compliance: [],
  sources: ['apiTokens'],
  contextSources: ['owners', 'ownerGroups'],
  listedFrom: 'apiTokens',
  listedWhat: 'API token expiry',
  evaluate(inventory, ctx): RuleResult[] {
    const warningDays = ctx.settings.expiryWarningDays;
    return inventory.apiTokens.map((token): RuleResult => {
      const owner = toOwner(ctx.classifyOwner(token.userId));
      const whose = `${tokenLabel(token)}, owned by ${ownerPhrase(owner)}`;
      const row = verdicts(tokenResource(token), owner, {
        ...tokenEvidence(token, inventory),
        expiryWarningDays: warningDays,
        now: ctx.now.toISOString(),
      });
      const expires = token.expiresAt === null ? Number.NaN : Date.parse(token.expiresAt);
      if (Number.isNaN(expires)) {
        return row.unknown(`Okta gave no expiry time for ${tokenLabel(token)}, owned by ${ownerPhrase(owner)}.`);
      }
      const daysLeft = (expires - ctx.now.getTime()) / DAY_MS;
      const date = new Date(expires).toISOString().slice(0, 10);
      if (daysLeft <= 0) {
        return row.fail(`${whose}, expired on ${date}: Okta revokes tokens unused for 30 days.`, { daysLeft: 0 });
      }
      if (daysLeft <= warningDays) {
        const days = Math.ceil(daysLeft);
        return row.fail(
          `${whose}, expires on ${date}, in ${days} day${days === 1 ? '' : 's'}: Okta revokes tokens unused for 30 days.`,
          { daysLeft: days },
        );
      }
      return row.pass(`${whose}, expires on ${date}, more than ${warningDays} days away.`, {
        daysLeft: Math.floor(daysLeft),
      });
    });
  },
};
