// Compliant: every API token expires later than expiryWarningDays from now (it is in regular use).
import type { Rule, RuleResult } from '../domain/rule';
import { listUnreadable, ownerPhrase, REFERENCES, tokenEvidence, tokenLabel, tokenResource, toOwner } from './support';

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
  sources: ['apiTokens'],
  contextSources: ['owners', 'ownerGroups'],
  evaluate(inventory, ctx): RuleResult[] {
    const unreadable = listUnreadable(inventory, 'apiTokens', 'api_token', 'API token expiry');
    if (unreadable) return unreadable;
    const warningDays = ctx.settings.expiryWarningDays;
    return inventory.apiTokens.map((token): RuleResult => {
      const owner = toOwner(ctx.classifyOwner(token.userId));
      const resource = tokenResource(token);
      const evidence = { ...tokenEvidence(token), expiryWarningDays: warningDays, now: ctx.now.toISOString() };
      const expires = token.expiresAt === null ? Number.NaN : Date.parse(token.expiresAt);
      if (Number.isNaN(expires)) {
        return {
          status: 'UNKNOWN',
          resource,
          owner,
          message: `Okta gave no expiry time for ${tokenLabel(token)}, owned by ${ownerPhrase(owner)}.`,
          evidence,
        };
      }
      const daysLeft = (expires - ctx.now.getTime()) / DAY_MS;
      const date = new Date(expires).toISOString().slice(0, 10);
      if (daysLeft <= 0) {
        return {
          status: 'FAIL',
          resource,
          owner,
          message: `${tokenLabel(token)}, owned by ${ownerPhrase(owner)}, expired on ${date}: Okta revokes tokens unused for 30 days.`,
          evidence: { ...evidence, daysLeft: 0 },
        };
      }
      if (daysLeft <= warningDays) {
        const days = Math.ceil(daysLeft);
        return {
          status: 'FAIL',
          resource,
          owner,
          message: `${tokenLabel(token)}, owned by ${ownerPhrase(owner)}, expires on ${date}, in ${days} day${days === 1 ? '' : 's'}: Okta revokes tokens unused for 30 days.`,
          evidence: { ...evidence, daysLeft: days },
        };
      }
      return {
        status: 'PASS',
        resource,
        owner,
        message: `${tokenLabel(token)}, owned by ${ownerPhrase(owner)}, expires on ${date}, more than ${warningDays} days away.`,
        evidence: { ...evidence, daysLeft: Math.floor(daysLeft) },
      };
    });
  },
};
