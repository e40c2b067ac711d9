// Compliant: the last authorization of each provisioning connection in use was made by a service account.
import type { Inventory, ProvisioningApp } from '../domain/inventory';
import { usesProvisioningConnection } from '../domain/provisioning';
import type { Rule, RuleContext, RuleResult } from '../domain/rule';
import { ownerPhrase, toOwner } from './support/phrasing';
import { REFERENCES } from './support/references';
import { appResource } from './support/resources';
import { describeFailure, failedSource, logWindowDays } from './support/sources';
import { byOwnerKind, verdicts } from './support/verdicts';

/**
 * An app whose connection is not in use (Org2Org for sign-in only) runs on nobody's credentials.
 * Its "authorization" event would only be someone editing its sign-in settings: the event is any
 * person-made app update, so it says nothing about a connection.
 */
function runsOnCredentials(app: ProvisioningApp): boolean {
  return usesProvisioningConnection(app) !== false;
}

function judge(app: ProvisioningApp, inventory: Inventory, ctx: RuleContext): RuleResult {
  const resource = appResource(app);
  const subject = `the provisioning connection of "${app.label}"`;
  const logFailure = failedSource(inventory, 'provisioningEvents');
  if (logFailure) {
    return verdicts(resource, null, {
      appName: app.name,
      unreadSource: logFailure.source,
      reason: logFailure.reason,
    }).unknown(`Could not tell who authorized ${subject}: ${describeFailure(logFailure)}.`);
  }
  const authorization = inventory.provisioningAuthorizations[app.id];
  if (!authorization?.actor) {
    return verdicts(resource, null, { appName: app.name, logWindow: inventory.logWindow }).unknown(
      `The provisioning connection of "${app.label}" was not authorized within the last ${logWindowDays(inventory)} days of System Log, so who authorized it cannot be told.`,
    );
  }
  const classification = ctx.classifyOwner(authorization.actor.id);
  const owner = toOwner(classification, authorization.actor);
  const when = authorization.published.slice(0, 10);
  const row = verdicts(resource, owner, {
    appName: app.name,
    authorizedAt: authorization.published,
    eventType: authorization.eventType,
    eventUuid: authorization.uuid,
    ownerSignals: owner.signals,
  });
  return byOwnerKind(row, owner.kind, {
    service: `The provisioning connection of "${app.label}" was last authorized on ${when} by ${ownerPhrase(owner)}.`,
    human: `The provisioning connection of "${app.label}" was last authorized on ${when} by ${ownerPhrase(owner)}: provisioning may stop when that account is deactivated.`,
    unknown: `Could not tell whether ${subject} was authorized by a service account: ${ownerPhrase(owner, classification.missing)}.`,
  });
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
  compliance: [],
  sources: ['apps', 'provisioningEvents', 'owners', 'ownerGroups'],
  // Tells which apps use their connection (push, import, enabled); unread, every app is judged.
  contextSources: ['provisioning'],
  listedFrom: 'apps',
  listedWhat: 'Provisioning authorizations',
  judgesApps: 'using-connection',
  dependsOn: 'authorizer',
  evaluate(inventory, ctx): RuleResult[] {
    return inventory.provisioningApps.filter(runsOnCredentials).map((app) => judge(app, inventory, ctx));
  },
};
