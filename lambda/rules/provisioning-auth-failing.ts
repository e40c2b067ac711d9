// Compliant: Okta authenticated to every provisioning connection in use without failure throughout the lookback window.
import type { Inventory, LogEventSummary } from '../domain/inventory';
import { usesProvisioningConnection } from '../domain/provisioning';
import type { Rule, RuleResult } from '../domain/rule';
import { appResource, describeFailure, failedSource, listUnreadable, logWindowDays, REFERENCES } from './support';

function concernsApp(event: LogEventSummary, appId: string): boolean {
  return event.target.some((t) => t.type === 'AppInstance' && t.id === appId) || event.actor?.id === appId;
}

/**
 * The app's logged authentication failures, oldest first. An app whose connection is not in use
 * (Org2Org for sign-in only) is judged only when it has some.
 */
function failuresOf(inventory: Inventory, appId: string): LogEventSummary[] {
  return inventory.provisioningAuthFailures
    .filter((e) => concernsApp(e, appId))
    .sort((a, b) => a.published.localeCompare(b.published));
}

export const provisioningAuthFailing: Rule = {
  id: 'provisioning-auth-failing',
  title: 'Provisioning authentication failing',
  severity: 'high',
  resourceType: 'app_provisioning',
  rationale:
    "When Okta cannot authenticate to an app's provisioning API, typically because the credentials belonged to a person who left, pushes fail silently: deactivated users keep their accounts in the app.",
  remediation:
    "In the app's Provisioning > Integration tab, re-authenticate the provisioning connection with a service account (or OAuth 2.0), then reconcile the app's users: Okta does not re-push the deactivations that failed.",
  references: [REFERENCES.eventTypes, REFERENCES.provisioningConnection],
  sources: ['apps', 'provisioningEvents'],
  // Tells which apps use their connection (push, import, enabled); unread, every app is judged.
  contextSources: ['provisioning'],
  evaluate(inventory): RuleResult[] {
    const unreadable = listUnreadable(inventory, 'apps', 'app_provisioning', 'Provisioning authentication');
    if (unreadable) return unreadable;
    const logFailure = failedSource(inventory, 'provisioningEvents');
    const days = logWindowDays(inventory);
    // A failure that names no app may concern any of them: none can pass while it is unexplained.
    const unattributed = inventory.provisioningAuthFailures.filter(
      (e) => !e.actor?.id && !e.target.some((t) => t.type === 'AppInstance'),
    ).length;
    const judged = inventory.provisioningApps.filter(
      (app) => usesProvisioningConnection(app) !== false || failuresOf(inventory, app.id).length > 0,
    );
    return judged.map((app): RuleResult => {
      const resource = appResource(app);
      if (logFailure) {
        return {
          status: 'UNKNOWN',
          resource,
          owner: null,
          message: `Could not check whether Okta fails to authenticate to the provisioning API of "${app.label}": ${describeFailure(logFailure)}.`,
          evidence: { appName: app.name, unreadSource: logFailure.source, reason: logFailure.reason },
        };
      }
      const failures = failuresOf(inventory, app.id);
      if (failures.length === 0 && unattributed > 0) {
        return {
          status: 'UNKNOWN',
          resource,
          owner: null,
          message: `Could not check whether Okta fails to authenticate to the provisioning API of "${app.label}": ${unattributed} authentication failure event${unattributed === 1 ? '' : 's'} in the last ${days} days name${unattributed === 1 ? 's' : ''} no app.`,
          evidence: { appName: app.name, unattributedFailures: unattributed, logWindow: inventory.logWindow },
        };
      }
      if (failures.length === 0) {
        return {
          status: 'PASS',
          resource,
          owner: null,
          message: `Okta logged no failed authentication to the provisioning API of "${app.label}" in the last ${days} days.`,
          evidence: { appName: app.name, logWindow: inventory.logWindow },
        };
      }
      const last = failures[failures.length - 1];
      return {
        status: 'FAIL',
        resource,
        owner: null,
        message: `Okta failed to authenticate to the provisioning API of "${app.label}" ${failures.length} time${failures.length === 1 ? '' : 's'}, last on ${last.published.slice(0, 10)}${last.outcome.reason ? ` (${last.outcome.reason})` : ''}: provisioning, including deactivations, is not reaching the app.`,
        evidence: {
          appName: app.name,
          failureCount: failures.length,
          firstFailure: failures[0].published,
          lastFailure: last.published,
          lastReason: last.outcome.reason,
          eventTypes: [...new Set(failures.map((e) => e.eventType))],
          eventUuids: failures.map((e) => e.uuid).slice(-20),
        },
      };
    });
  },
};
