// Compliant: Okta authenticated to every provisioning connection in use without failure throughout the lookback window.
import type { FailedSource, Inventory, LogEventSummary, ProvisioningApp } from '../domain/inventory';
import { usesProvisioningConnection } from '../domain/provisioning';
import type { Rule, RuleResult } from '../domain/rule';
import { REFERENCES } from './support/references';
import { appResource } from './support/resources';
import { describeFailure, failedSource, logWindowDays } from './support/sources';
import { verdicts } from './support/verdicts';

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

/** What the whole System Log read says, shared by every app's verdict. */
interface LogReading {
  logFailure: FailedSource | null;
  /** Failures that name no app: they may concern any of them, so none can pass while unexplained. */
  unattributed: number;
  days: number;
}

function judge(app: ProvisioningApp, inventory: Inventory, log: LogReading): RuleResult {
  const subject = `the provisioning API of "${app.label}"`;
  const resource = appResource(app);
  if (log.logFailure) {
    return verdicts(resource, null, {
      appName: app.name,
      unreadSource: log.logFailure.source,
      reason: log.logFailure.reason,
    }).unknown(`Could not check whether Okta fails to authenticate to ${subject}: ${describeFailure(log.logFailure)}.`);
  }
  const failures = failuresOf(inventory, app.id);
  const { unattributed, days } = log;
  if (failures.length === 0 && unattributed > 0) {
    return verdicts(resource, null, {
      appName: app.name,
      unattributedFailures: unattributed,
      logWindow: inventory.logWindow,
    }).unknown(
      `Could not check whether Okta fails to authenticate to ${subject}: ${unattributed} authentication failure event${unattributed === 1 ? '' : 's'} in the last ${days} days name${unattributed === 1 ? 's' : ''} no app.`,
    );
  }
  if (failures.length === 0) {
    return verdicts(resource, null, { appName: app.name, logWindow: inventory.logWindow }).pass(
      `Okta logged no failed authentication to ${subject} in the last ${days} days.`,
    );
  }
  const last = failures[failures.length - 1];
  return verdicts(resource, null, {
    appName: app.name,
    failureCount: failures.length,
    firstFailure: failures[0].published,
    lastFailure: last.published,
    lastReason: last.outcome.reason,
    eventTypes: [...new Set(failures.map((e) => e.eventType))],
    eventUuids: failures.map((e) => e.uuid).slice(-20),
  }).fail(
    `Okta failed to authenticate to ${subject} ${failures.length} time${failures.length === 1 ? '' : 's'}, last on ${last.published.slice(0, 10)}${last.outcome.reason ? ` (${last.outcome.reason})` : ''}: provisioning, including deactivations, is not reaching the app.`,
  );
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
  compliance: [],
  sources: ['apps', 'provisioningEvents'],
  // Tells which apps use their connection (push, import, enabled); unread, every app is judged.
  contextSources: ['provisioning'],
  listedFrom: 'apps',
  listedWhat: 'Provisioning authentication',
  judgesApps: 'using-connection',
  evaluate(inventory): RuleResult[] {
    const log: LogReading = {
      logFailure: failedSource(inventory, 'provisioningEvents'),
      unattributed: inventory.provisioningAuthFailures.filter(
        (e) => !e.actor?.id && !e.target.some((t) => t.type === 'AppInstance'),
      ).length,
      days: logWindowDays(inventory),
    };
    return inventory.provisioningApps
      .filter((app) => usesProvisioningConnection(app) !== false || failuresOf(inventory, app.id).length > 0)
      .map((app) => judge(app, inventory, log));
  },
};
