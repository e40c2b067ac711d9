// Compliant: every app that Okta pushes users to also pushes deactivations (PUSH_USER_DEACTIVATION / "Deactivate Users" enabled).
import { pushesUsers } from '../domain/provisioning';
import type { Rule, RuleResult } from '../domain/rule';
import { REFERENCES } from './support/references';
import { appResource } from './support/resources';
import { describeFailure, failedSource } from './support/sources';
import { verdicts } from './support/verdicts';

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
  compliance: [],
  sources: ['apps', 'provisioning'],
  listedFrom: 'apps',
  listedWhat: 'Deactivation settings',
  judgesApps: 'pushing-users',
  evaluate(inventory): RuleResult[] {
    const provisioningFailure = failedSource(inventory, 'provisioning');
    // An app Okta pushes no users to (Org2Org for sign-in or import only) has no deactivation to
    // push: the rule is not about it and gives it no verdict.
    const judged = inventory.provisioningApps.filter((app) => pushesUsers(app) !== false);
    return judged.map((app): RuleResult => {
      const lifecycleDeactivate = app.userProvisioning?.lifecycleDeactivate ?? null;
      const row = verdicts(appResource(app), null, { appName: app.name, features: app.features, lifecycleDeactivate });
      if (pushesUsers(app) === null) {
        return row.unknown(
          `Could not tell whether "${app.label}" pushes users and their deactivations: its provisioning features were not read${provisioningFailure ? ` (${describeFailure(provisioningFailure)})` : ''}.`,
        );
      }
      if (app.features.includes('PUSH_USER_DEACTIVATION') || lifecycleDeactivate === 'ENABLED') {
        return row.pass(`"${app.label}" pushes user deactivations.`);
      }
      // Without the features endpoint's answer the "Deactivate Users" toggle is unseen; only a
      // failed read (not an app that has no such endpoint) leaves the verdict open.
      if (app.userProvisioning === null && app.featuresAvailable !== false && provisioningFailure) {
        return row.unknown(
          `Could not tell whether "${app.label}" pushes deactivations: ${describeFailure(provisioningFailure)}.`,
        );
      }
      return row.fail(
        `"${app.label}" pushes users but not their deactivations: leavers keep their accounts in the app.`,
      );
    });
  },
};
