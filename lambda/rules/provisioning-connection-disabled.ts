// Compliant: every active app that Okta pushes users to has its provisioning connection ENABLED.
import type { ProvisioningApp } from '../domain/inventory';
import { pushesUsers } from '../domain/provisioning';
import type { Rule, RuleResult } from '../domain/rule';
import { appResource, describeFailure, failedSource, listUnreadable, REFERENCES } from './support';

/** The verdict on a connection Okta returned; `pushes` null: whether the app should push is unread. */
function verdictOf(
  app: ProvisioningApp,
  connection: { status: string; authScheme: string },
  pushes: boolean | null,
): RuleResult {
  const resource = appResource(app);
  const evidence = { appName: app.name, connectionStatus: connection.status, authScheme: connection.authScheme };
  if (connection.status === 'DISABLED' && pushes === null) {
    return {
      status: 'UNKNOWN',
      resource,
      owner: null,
      message: `The provisioning connection of "${app.label}" is DISABLED, but whether Okta should push users to the app could not be read.`,
      evidence,
    };
  }
  if (connection.status === 'DISABLED') {
    return {
      status: 'FAIL',
      resource,
      owner: null,
      message: `The provisioning connection of "${app.label}" is DISABLED: Okta pushes no new users and no deactivations to it.`,
      evidence,
    };
  }
  if (connection.status === 'ENABLED') {
    return {
      status: 'PASS',
      resource,
      owner: null,
      message: `The provisioning connection of "${app.label}" is ENABLED.`,
      evidence,
    };
  }
  return {
    status: 'UNKNOWN',
    resource,
    owner: null,
    message: `Okta reports the provisioning connection of "${app.label}" as ${connection.status}.`,
    evidence,
  };
}

export const provisioningConnectionDisabled: Rule = {
  id: 'provisioning-connection-disabled',
  title: 'Provisioning connection disabled',
  severity: 'high',
  resourceType: 'app_provisioning',
  rationale:
    'With its provisioning connection disabled, Okta pushes nothing to the app: new users are not created and, worse, deactivated users keep their accounts there. A connection authorized by a person who left is often disabled this way.',
  remediation:
    "In the app's Provisioning > Integration tab, re-authenticate the connection with a service account (or OAuth 2.0) and enable it; then reconcile the app's users, since Okta does not re-push deactivations it missed.",
  references: [REFERENCES.provisioningConnection],
  sources: ['apps', 'provisioning'],
  evaluate(inventory): RuleResult[] {
    const unreadable = listUnreadable(inventory, 'apps', 'app_provisioning', 'Provisioning connections');
    if (unreadable) return unreadable;
    const results: RuleResult[] = [];
    for (const app of inventory.provisioningApps) {
      // A disabled connection matters where Okta should push users (and deactivations) through
      // it; an Org2Org app used for sign-in or import only is not this rule's concern.
      const pushes = pushesUsers(app);
      if (app.status !== 'ACTIVE' || pushes === false) continue;
      const resource = appResource(app);
      const connection = app.connection;
      if (connection === null) {
        const failure = failedSource(inventory, 'provisioning');
        results.push({
          status: 'UNKNOWN',
          resource,
          owner: null,
          message: `The provisioning connection of "${app.label}" could not be read${failure ? `: ${describeFailure(failure)}` : ''}.`,
          evidence: { appName: app.name },
        });
        continue;
      }
      // Okta documents the connection endpoint for a handful of apps only (Org2Org, Google,
      // Office 365, Slack, Zoom, Zscaler). For the others the rule does not apply: it reports
      // nothing rather than a PASS it could not establish; the other provisioning rules still cover them.
      if (!connection.available) continue;
      results.push(verdictOf(app, connection, pushes));
    }
    return results;
  },
};
