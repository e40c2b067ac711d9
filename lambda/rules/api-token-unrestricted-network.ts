// Compliant: every API token is restricted to network zones (network.connection ZONE).
import type { Rule, RuleResult } from '../domain/rule';
import { listUnreadable, ownerPhrase, REFERENCES, tokenEvidence, tokenLabel, tokenResource, toOwner } from './support';

export const apiTokenUnrestrictedNetwork: Rule = {
  id: 'api-token-unrestricted-network',
  title: 'API token usable from anywhere',
  severity: 'low',
  resourceType: 'api_token',
  rationale:
    "A token without a network condition works from any IP address: whoever obtains it can use it from anywhere, with all of its owner's admin rights.",
  remediation:
    'Edit the token in Security > API > Tokens and restrict it to the network zones the integration calls from ("Allow in specified network zones"), or replace it with an OAuth 2.0 service app.',
  references: [REFERENCES.apiTokens],
  sources: ['apiTokens'],
  contextSources: ['owners', 'ownerGroups'],
  evaluate(inventory, ctx): RuleResult[] {
    const unreadable = listUnreadable(inventory, 'apiTokens', 'api_token', 'API token network restrictions');
    if (unreadable) return unreadable;
    return inventory.apiTokens.map((token): RuleResult => {
      const owner = toOwner(ctx.classifyOwner(token.userId));
      const resource = tokenResource(token);
      const connection = token.network?.connection ?? null;
      const evidence = {
        ...tokenEvidence(token),
        networkConnection: connection,
        includedZones: token.network?.include ?? [],
        excludedZones: token.network?.exclude ?? [],
      };
      if (connection === null || connection === 'ANYWHERE') {
        return {
          status: 'FAIL',
          resource,
          owner,
          message: `${tokenLabel(token)}, owned by ${ownerPhrase(owner)}, can be used from any network: it has no network zone restriction.`,
          evidence,
        };
      }
      if (connection === 'ZONE') {
        return {
          status: 'PASS',
          resource,
          owner,
          message: `${tokenLabel(token)}, owned by ${ownerPhrase(owner)}, is restricted to network zones.`,
          evidence,
        };
      }
      return {
        status: 'UNKNOWN',
        resource,
        owner,
        message: `${tokenLabel(token)}, owned by ${ownerPhrase(owner)}, has a network connection "${connection}" this scanner does not know.`,
        evidence,
      };
    });
  },
};
