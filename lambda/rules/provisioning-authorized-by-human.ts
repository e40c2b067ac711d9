// Compliant: the last authorization of each provisioning connection in use was made by a service account.
import type { ProvisioningApp } from '../domain/inventory';
import { usesProvisioningConnection } from '../domain/provisioning';
import type { Rule, RuleResult } from '../domain/rule';
import {
  appResource,
  describeFailure,
  failedSource,
  listUnreadable,
  logWindowDays,
  ownerPhrase,
  REFERENCES,
  toOwner,
} from './support';

/**
 * An app whose connection is not in use (Org2Org for sign-in only) runs on nobody's credentials.
 * Its "authorization" event would only be someone editing its sign-in settings: the event is any
 * person-made app update, so it says nothing about a connection.
 */
function runsOnCredentials(app: ProvisioningApp): boolean {
  return usesProvisioningConnection(app) !== false;
}

export const provisioningAuthorizedByHuman: Rule = {
  id: 'provisioning-authorized-by-human',
  title: 'Provisioning connection authorized by a person',
  severity: 'high',
  resourceType: 'app_provisioning',
  rationale:
    'Provisioning credentials entered or authorized by a person (an OAuth consent, an API token of their account in the app) usually stop working when that person leaves, and provisioning, including deactivations, silently stops with them.',
  remediation:
    "In the app's Provisioning > Integration tab, re-authenticate the connection while signed in (in Okta and in the app) as a dedicated service account, then reconcile the app's users.",
  references: [REFERENCES.provisioningConnection, REFERENCES.adminDeactivated],
  sources: ['apps', 'provisioningEvents', 'owners', 'ownerGroups'],
  // Tells which apps use their connection (push, import, enabled); unread, every app is judged.
  contextSources: ['provisioning'],
  evaluate(inventory, ctx): RuleResult[] {
    const unreadable = listUnreadable(inventory, 'apps', 'app_provisioning', 'Provisioning authorizations');
    if (unreadable) return unreadable;
    const logFailure = failedSource(inventory, 'provisioningEvents');
    const days = logWindowDays(inventory);
    return inventory.provisioningApps.filter(runsOnCredentials).map((app): RuleResult => {
      const resource = appResource(app);
      if (logFailure) {
        return {
          status: 'UNKNOWN',
          resource,
          owner: null,
          message: `Could not tell who authorized the provisioning connection of "${app.label}": ${describeFailure(logFailure)}.`,
          evidence: { appName: app.name, unreadSource: logFailure.source, reason: logFailure.reason },
        };
      }
      const authorization = inventory.provisioningAuthorizations[app.id];
      if (!authorization?.actor) {
        return {
          status: 'UNKNOWN',
          resource,
          owner: null,
          message: `The provisioning connection of "${app.label}" was not authorized within the last ${days} days of System Log, so who authorized it cannot be told.`,
          evidence: { appName: app.name, logWindow: inventory.logWindow },
        };
      }
      const classification = ctx.classifyOwner(authorization.actor.id);
      const owner = toOwner(classification, authorization.actor);
      const when = authorization.published.slice(0, 10);
      const evidence = {
        appName: app.name,
        authorizedAt: authorization.published,
        eventType: authorization.eventType,
        eventUuid: authorization.uuid,
        ownerSignals: owner.signals,
      };
      if (owner.kind === 'service') {
        return {
          status: 'PASS',
          resource,
          owner,
          message: `The provisioning connection of "${app.label}" was last authorized on ${when} by ${ownerPhrase(owner)}.`,
          evidence,
        };
      }
      if (owner.kind === 'human') {
        return {
          status: 'FAIL',
          resource,
          owner,
          message: `The provisioning connection of "${app.label}" was last authorized on ${when} by ${ownerPhrase(owner)}: provisioning may stop when that account is deactivated.`,
          evidence,
        };
      }
      return {
        status: 'UNKNOWN',
        resource,
        owner,
        message: `Could not tell whether the provisioning connection of "${app.label}" was authorized by a service account: ${ownerPhrase(owner, classification.missing)}.`,
        evidence,
      };
    });
  },
};
