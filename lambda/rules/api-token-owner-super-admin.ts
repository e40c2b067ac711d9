// Compliant: no API token's owner holds SUPER_ADMIN, directly or through a group.
import type { Rule, RuleResult } from '../domain/rule';
import {
  describeFailure,
  failedSource,
  listUnreadable,
  ownerPhrase,
  REFERENCES,
  tokenEvidence,
  tokenLabel,
  tokenResource,
  toOwner,
} from './support';

export const apiTokenOwnerSuperAdmin: Rule = {
  id: 'api-token-owner-super-admin',
  title: 'API token owner is a Super Administrator',
  severity: 'medium',
  resourceType: 'api_token',
  rationale:
    "A token carries its owner's admin roles, including those inherited through groups: a Super Administrator's token can change anything in the org, so a leaked token is a full takeover.",
  remediation:
    'Create the token as a service account holding only the admin role the integration needs (or use an OAuth 2.0 service app with narrow scopes and a scoped admin role), then revoke this token.',
  references: [REFERENCES.apiTokens, REFERENCES.serviceApp],
  sources: ['apiTokens', 'owners', 'ownerRoles'],
  evaluate(inventory, ctx): RuleResult[] {
    const unreadable = listUnreadable(inventory, 'apiTokens', 'api_token', 'API token owner roles');
    if (unreadable) return unreadable;
    return inventory.apiTokens.map((token): RuleResult => {
      const classification = ctx.classifyOwner(token.userId);
      const owner = toOwner(classification);
      const resource = tokenResource(token);
      const evidence = tokenEvidence(token);
      if (classification.missing) {
        // A deleted user holds no role; api-token-owner-not-active reports the dead token.
        return {
          status: 'PASS',
          resource,
          owner,
          message: `${tokenLabel(token)} is owned by user ${token.userId}, who no longer exists in Okta and holds no admin role.`,
          evidence: { ...evidence, ownerMissing: true },
        };
      }
      const roles = classification.user?.roles ?? null;
      if (roles === null) {
        const failure = failedSource(inventory, 'ownerRoles', 'owners');
        return {
          status: 'UNKNOWN',
          resource,
          owner,
          message: `Could not read the admin roles of ${ownerPhrase(owner)}, owner of ${tokenLabel(token)}${failure ? `: ${describeFailure(failure)}` : ''}.`,
          evidence,
        };
      }
      const superAdmin = roles.filter((r) => r.type === 'SUPER_ADMIN' && r.status !== 'INACTIVE');
      if (superAdmin.length > 0) {
        const how = superAdmin.map((r) => (r.assignmentType === 'GROUP' ? 'through a group' : 'directly'));
        return {
          status: 'FAIL',
          resource,
          owner,
          message: `${tokenLabel(token)} is owned by ${ownerPhrase(owner)}, who holds SUPER_ADMIN ${[...new Set(how)].join(' and ')}: the token can change anything in the org.`,
          evidence: { ...evidence, superAdminAssignments: superAdmin.map((r) => r.assignmentType ?? 'unknown') },
        };
      }
      return {
        status: 'PASS',
        resource,
        owner,
        message: `${tokenLabel(token)} is owned by ${ownerPhrase(owner)}, who does not hold SUPER_ADMIN.`,
        evidence: { ...evidence, ownerRoles: roles.map((r) => r.type) },
      };
    });
  },
};
