// Compliant: no API token's owner holds SUPER_ADMIN, directly or through a group.
import { CONTROLS } from '../domain/compliance';
import type { Rule, RuleResult } from '../domain/rule';
import { ownerPhrase, tokenLabel, toOwner } from './support/phrasing';
import { REFERENCES } from './support/references';
import { tokenEvidence, tokenResource } from './support/resources';
import { describeFailure, failedSource } from './support/sources';
import { verdicts } from './support/verdicts';

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
  compliance: [CONTROLS.stigTokenDedicatedAccount, CONTROLS.nhiOverprivileged],
  sources: ['apiTokens', 'owners', 'ownerRoles'],
  listedFrom: 'apiTokens',
  listedWhat: 'API token owner roles',
  evaluate(inventory, ctx): RuleResult[] {
    return inventory.apiTokens.map((token): RuleResult => {
      const classification = ctx.classifyOwner(token.userId);
      const owner = toOwner(classification);
      const label = tokenLabel(token);
      const row = verdicts(tokenResource(token), owner, tokenEvidence(token, inventory));
      if (classification.missing) {
        // A deleted user holds no role; api-token-owner-not-active reports the dead token.
        return row.pass(
          `${label} is owned by user ${token.userId}, who no longer exists in Okta and holds no admin role.`,
          { ownerMissing: true },
        );
      }
      const roles = classification.user?.roles ?? null;
      if (roles === null) {
        const failure = failedSource(inventory, 'ownerRoles', 'owners');
        return row.unknown(
          `Could not read the admin roles of ${ownerPhrase(owner)}, owner of ${label}${failure ? `: ${describeFailure(failure)}` : ''}.`,
        );
      }
      const superAdmin = roles.filter((r) => r.type === 'SUPER_ADMIN' && r.status !== 'INACTIVE');
      if (superAdmin.length > 0) {
        const how = superAdmin.map((r) => (r.assignmentType === 'GROUP' ? 'through a group' : 'directly'));
        return row.fail(
          `${label} is owned by ${ownerPhrase(owner)}, who holds SUPER_ADMIN ${[...new Set(how)].join(' and ')}: the token can change anything in the org.`,
          { superAdminAssignments: superAdmin.map((r) => r.assignmentType ?? 'unknown') },
        );
      }
      return row.pass(`${label} is owned by ${ownerPhrase(owner)}, who does not hold SUPER_ADMIN.`, {
        ownerRoles: roles.map((r) => r.type),
      });
    });
  },
};
