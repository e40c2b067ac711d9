// Compliant: every active app that Okta pushes users to has its provisioning connection ENABLED.
import type { ProvisioningApp } from '../domain/inventory';
import { pushesUsers } from '../domain/provisioning';
import type { Rule, RuleResult } from '../domain/rule';
import { REFERENCES } from './support/references';
import { appResource } from './support/resources';
import { connectionUnread } from './support/sources';
import { verdicts } from './support/verdicts';

/** The verdict on a connection Okta returned; `pushes` null: whether the app should push is unread. */
function verdictOf(
  app: ProvisioningApp,
  connection: { status: string; authScheme: string },
  pushes: boolean | null,
): RuleResult {
  const row = verdicts(appResource(app), null, {
    appName: app.name,
    connectionStatus: connection.status,
    authScheme: connection.authScheme,
  });
  const subject = `The provisioning connection of "${app.label}"`;
  if (connection.status === 'DISABLED' && pushes === null) {
    return row.unknown(`${subject} is DISABLED, but whether Okta should push users to the app could not be read.`);
  }
  if (connection.status === 'DISABLED') {
    return row.fail(`${subject} is DISABLED: Okta pushes no new users and no deactivations to it.`);
  }
  if (connection.status === 'ENABLED') return row.pass(`${subject} is ENABLED.`);
  return row.unknown(`Okta reports the provisioning connection of "${app.label}" as ${connection.status}.`);
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
  compliance: [],
  sources: ['apps', 'provisioning'],
  listedFrom: 'apps',
  listedWhat: 'Provisioning connections',
  judgesApps: 'pushing-users',
  // Only apps whose connection endpoint Okta documents.
  judgesEveryResource: false,
  evaluate(inventory): RuleResult[] {
    const results: RuleResult[] = [];
    for (const app of inventory.provisioningApps) {
      // A disabled connection matters where Okta should push users (and deactivations) through
      // it; an Org2Org app used for sign-in or import only is not this rule's concern. The
      // status check repeats the apps collector's filter (active apps only) for replayed inventories.
      const pushes = pushesUsers(app);
      if (app.status !== 'ACTIVE' || pushes === false) continue;
      if (app.connection === null) {
        results.push(connectionUnread(inventory, app, `"${app.label}"`));
        continue;
      }
      // Okta documents the connection endpoint for a handful of apps only (Org2Org, Google,
      // Office 365, Slack, Zoom, Zscaler). For the others the rule does not apply: it reports
      // nothing rather than a PASS it could not establish; the other provisioning rules still cover them.
      if (!app.connection.available) continue;
      results.push(verdictOf(app, app.connection, pushes));
    }
    return results;
  },
};
