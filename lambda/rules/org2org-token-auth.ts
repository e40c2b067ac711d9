// Compliant: every Org2Org app that provisions (pushes or imports users, or has its connection enabled) uses OAuth 2.0, not an API token.
import { usesProvisioningConnection } from '../domain/provisioning';
import type { Rule, RuleResult } from '../domain/rule';
import { appResource, describeFailure, failedSource, listUnreadable, REFERENCES } from './support';

export const org2orgTokenAuth: Rule = {
  id: 'org2org-token-auth',
  title: 'Org2Org provisions with an API token',
  severity: 'medium',
  resourceType: 'app_provisioning',
  rationale:
    'Org2Org token authentication uses an API token that a Super Administrator created in the target org: it stops working when that admin is deactivated there, and it carries full Super Administrator rights.',
  remediation:
    "Switch the Org2Org app's provisioning to OAuth 2.0 with automatic key rotation (Provisioning > Integration), grant the service app in the target org only the admin role provisioning needs, then revoke the old API token in the target org.",
  references: [REFERENCES.org2org, REFERENCES.provisioningConnection],
  sources: ['apps', 'provisioning'],
  evaluate(inventory): RuleResult[] {
    const unreadable = listUnreadable(inventory, 'apps', 'app_provisioning', 'Org2Org authentication');
    if (unreadable) return unreadable;
    const results: RuleResult[] = [];
    for (const app of inventory.provisioningApps) {
      // The connection's credentials serve imports as well as pushes. An Org2Org app used for
      // sign-in only, with no enabled connection, has no credentials to judge.
      if (app.name !== 'okta_org2org' || usesProvisioningConnection(app) === false) continue;
      const resource = appResource(app);
      const connection = app.connection;
      if (connection === null || !connection.available) {
        const failure = failedSource(inventory, 'provisioning');
        results.push({
          status: 'UNKNOWN',
          resource,
          owner: null,
          message: `The provisioning connection of Org2Org app "${app.label}" could not be read${failure ? `: ${describeFailure(failure)}` : ': Okta did not return it'}.`,
          evidence: { appName: app.name },
        });
        continue;
      }
      const evidence = {
        authScheme: connection.authScheme,
        connectionStatus: connection.status,
        baseUrl: connection.baseUrl,
      };
      if (connection.authScheme === 'TOKEN') {
        results.push({
          status: 'FAIL',
          resource,
          owner: null,
          message: `Org2Org app "${app.label}" provisions${connection.baseUrl ? ` to ${connection.baseUrl}` : ''} with an API token of an admin in the target org: it stops when that admin is deactivated.`,
          evidence,
        });
      } else if (connection.authScheme === 'OAUTH2') {
        results.push({
          status: 'PASS',
          resource,
          owner: null,
          message: `Org2Org app "${app.label}" provisions with OAuth 2.0.`,
          evidence,
        });
      } else {
        results.push({
          status: 'UNKNOWN',
          resource,
          owner: null,
          message: `Okta reports the authentication scheme of Org2Org app "${app.label}" as ${connection.authScheme}.`,
          evidence,
        });
      }
    }
    return results;
  },
};
