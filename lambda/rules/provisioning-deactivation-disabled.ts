// Compliant: every app that Okta pushes users to also pushes deactivations (PUSH_USER_DEACTIVATION / "Deactivate Users" enabled).
import { pushesUsers } from '../domain/provisioning';
import type { Rule, RuleResult } from '../domain/rule';
import { appResource, describeFailure, failedSource, listUnreadable, REFERENCES } from './support';

export const provisioningDeactivationDisabled: Rule = {
  id: 'provisioning-deactivation-disabled',
  title: 'Provisioning does not push deactivations',
  severity: 'medium',
  resourceType: 'app_provisioning',
  rationale:
    "An app that Okta provisions users into but never tells about deactivations keeps every leaver's account active there until someone removes it by hand.",
  remediation:
    'In the app\'s Provisioning > To App settings, enable "Deactivate Users", then reconcile the app\'s users: accounts of users deactivated earlier are not deactivated retroactively.',
  references: [REFERENCES.applicationFeatures],
  sources: ['apps', 'provisioning'],
  evaluate(inventory): RuleResult[] {
    const unreadable = listUnreadable(inventory, 'apps', 'app_provisioning', 'Deactivation settings');
    if (unreadable) return unreadable;
    const provisioningFailure = failedSource(inventory, 'provisioning');
    // An app Okta pushes no users to (Org2Org for sign-in or import only) has no deactivation to
    // push: the rule is not about it and gives it no verdict.
    const judged = inventory.provisioningApps.filter((app) => pushesUsers(app) !== false);
    return judged.map((app): RuleResult => {
      const resource = appResource(app);
      const lifecycleDeactivate = app.userProvisioning?.lifecycleDeactivate ?? null;
      const evidence = { appName: app.name, features: app.features, lifecycleDeactivate };
      if (pushesUsers(app) === null) {
        return {
          status: 'UNKNOWN',
          resource,
          owner: null,
          message: `Could not tell whether "${app.label}" pushes users and their deactivations: its provisioning features were not read${provisioningFailure ? ` (${describeFailure(provisioningFailure)})` : ''}.`,
          evidence,
        };
      }
      if (app.features.includes('PUSH_USER_DEACTIVATION') || lifecycleDeactivate === 'ENABLED') {
        return {
          status: 'PASS',
          resource,
          owner: null,
          message: `"${app.label}" pushes user deactivations.`,
          evidence,
        };
      }
      // Without the features endpoint's answer the "Deactivate Users" toggle is unseen; only a
      // failed read (not an app that has no such endpoint) leaves the verdict open.
      if (app.userProvisioning === null && app.featuresAvailable !== false && provisioningFailure) {
        return {
          status: 'UNKNOWN',
          resource,
          owner: null,
          message: `Could not tell whether "${app.label}" pushes deactivations: ${describeFailure(provisioningFailure)}.`,
          evidence,
        };
      }
      return {
        status: 'FAIL',
        resource,
        owner: null,
        message: `"${app.label}" pushes users but not their deactivations: leavers keep their accounts in the app.`,
        evidence,
      };
    });
  },
};
