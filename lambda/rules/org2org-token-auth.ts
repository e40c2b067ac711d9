// Compliant: every Org2Org app that provisions (pushes or imports users, or has its connection enabled) uses OAuth 2.0, not an API token.
import { CONTROLS } from '../domain/compliance';
import type { ProvisioningApp } from '../domain/inventory';
import { usesProvisioningConnection } from '../domain/provisioning';
import type { Rule, RuleResult } from '../domain/rule';
import { REFERENCES } from './support/references';
import { appResource } from './support/resources';
import { connectionUnread } from './support/sources';
import { verdicts } from './support/verdicts';

function judge(
  app: ProvisioningApp,
  connection: { authScheme: string; status: string; baseUrl: string | null },
): RuleResult {
  const row = verdicts(appResource(app), null, {
    authScheme: connection.authScheme,
    connectionStatus: connection.status,
    baseUrl: connection.baseUrl,
  });
  if (connection.authScheme === 'TOKEN') {
    return row.fail(
      `Org2Org app "${app.label}" provisions${connection.baseUrl ? ` to ${connection.baseUrl}` : ''} with an API token of an admin in the target org: it stops when that admin is deactivated.`,
    );
  }
  if (connection.authScheme === 'OAUTH2') return row.pass(`Org2Org app "${app.label}" provisions with OAuth 2.0.`);
  return row.unknown(
    `Okta reports the authentication scheme of Org2Org app "${app.label}" as ${connection.authScheme}.`,
  );
}

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
  compliance: [CONTROLS.nhiInsecureAuthentication],
  sources: ['apps', 'provisioning'],
  listedFrom: 'apps',
  listedWhat: 'Org2Org authentication',
  judgesApps: 'using-connection',
  // Org2Org apps only.
  judgesEveryResource: false,
  evaluate(inventory): RuleResult[] {
    // The connection's credentials serve imports as well as pushes. An Org2Org app used for
    // sign-in only, with no enabled connection, has no credentials to judge.
    const judged = inventory.provisioningApps.filter(
      (app) => app.name === 'okta_org2org' && usesProvisioningConnection(app) !== false,
    );
    return judged.map((app) =>
      app.connection?.available
        ? judge(app, app.connection)
        : connectionUnread(inventory, app, `Org2Org app "${app.label}"`, ': Okta did not return it'),
    );
  },
};
