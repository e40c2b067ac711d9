// Compliant: every user deactivated in Okta was also deactivated in each app that Okta pushes users to (no failed push, no sync error).
import type { ResourceRef } from '../domain/finding';
import type { AppUserInError, LogEventSummary } from '../domain/inventory';
import { pushesUsers } from '../domain/provisioning';
import type { Rule, RuleResult } from '../domain/rule';
import {
  allAppUsers,
  describeFailure,
  failedSource,
  listUnreadable,
  REFERENCES,
  statusPhrase,
  targetOfType,
  toOwner,
} from './support';

// Resource convention: a failing user is an app_user row `<appId>/<userId>`; an app with no
// failing user gets one app_user row `<appId>/*` ("<label>: all users"), PASS when everything
// was checked and UNKNOWN when part of it could not be read.

interface Suspect {
  userId: string;
  login: string | null;
  events: LogEventSummary[];
  inError: AppUserInError | null;
}

export const provisioningDeactivationNotPushed: Rule = {
  id: 'provisioning-deactivation-not-pushed',
  title: 'User deactivation not pushed to the app',
  severity: 'critical',
  resourceType: 'app_user',
  rationale:
    "When Okta fails to push a deactivation (often because the provisioning credentials belonged to someone who left), the user's account stays active in the app after they have left, and Okta does not retry.",
  remediation:
    "Deactivate the account in the app by hand now; then fix the provisioning connection (Provisioning > Integration, re-authenticate with a service account) and resolve the failed task in Dashboard > Tasks or reconcile the app's users.",
  references: [REFERENCES.appUsers, REFERENCES.eventTypes],
  sources: ['apps', 'provisioning', 'provisioningEvents', 'owners'],
  evaluate(inventory, ctx): RuleResult[] {
    const unreadable = listUnreadable(inventory, 'apps', 'app_user', 'Deactivation pushes');
    if (unreadable) return unreadable;
    const logFailure = failedSource(inventory, 'provisioningEvents');

    // Failed pushes grouped by app, including apps no longer in the provisioning list.
    const apps = new Map<string, { label: string; suspects: Map<string, Suspect>; unchecked: string[] }>();
    const appEntry = (id: string, label: string) => {
      let entry = apps.get(id);
      if (!entry) {
        entry = { label, suspects: new Map(), unchecked: [] };
        apps.set(id, entry);
      }
      return entry;
    };
    for (const app of inventory.provisioningApps) {
      // Okta sends no deactivation to an app it pushes no users to (Org2Org for sign-in or
      // import only): nothing to miss there, unless a failed push below names it.
      if (pushesUsers(app) === false) continue;
      const entry = appEntry(app.id, app.label);
      if (logFailure) entry.unchecked.push(`failed pushes: ${describeFailure(logFailure)}`);
      if (app.usersInError === null) {
        entry.unchecked.push('the app users in sync error could not be read');
        continue;
      }
      for (const appUser of app.usersInError) {
        entry.suspects.set(appUser.userId, {
          userId: appUser.userId,
          login: appUser.userName,
          events: [],
          inError: appUser,
        });
      }
    }
    let unattributed = 0;
    for (const event of inventory.deactivationPushFailures) {
      const appTarget = targetOfType(event.target, 'AppInstance');
      const userTarget = targetOfType(event.target, 'User');
      if (!appTarget || !userTarget) {
        unattributed++;
        continue;
      }
      const entry = appEntry(appTarget.id, appTarget.displayName ?? appTarget.alternateId ?? appTarget.id);
      const suspect = entry.suspects.get(userTarget.id) ?? {
        userId: userTarget.id,
        login: userTarget.alternateId,
        events: [],
        inError: null,
      };
      suspect.events.push(event);
      entry.suspects.set(userTarget.id, suspect);
    }

    // A failed push that names no app or no user may be any app's: none of them can pass.
    if (unattributed > 0) {
      for (const entry of apps.values()) {
        entry.unchecked.push(
          `${unattributed} failed deactivation push${unattributed === 1 ? '' : 'es'} name${unattributed === 1 ? 's' : ''} no app or no user`,
        );
      }
    }
    const results: RuleResult[] = [];
    for (const [appId, entry] of apps) {
      let failing = 0;
      for (const suspect of entry.suspects.values()) {
        const classification = ctx.classifyOwner(suspect.userId);
        // Okta sent no status (''): not known to be active, so it is not set aside as active.
        const oktaStatus = classification.missing ? 'DELETED' : classification.status || null;
        // A user still active in Okta with a sync error has a different problem, not a missed deactivation.
        if (
          suspect.events.length === 0 &&
          oktaStatus !== null &&
          oktaStatus !== 'DEPROVISIONED' &&
          oktaStatus !== 'DELETED'
        ) {
          continue;
        }
        failing++;
        const owner = toOwner(classification);
        const login = owner.login ?? suspect.login ?? suspect.userId;
        const resource: ResourceRef = {
          type: 'app_user',
          id: `${appId}/${suspect.userId}`,
          name: `${entry.label}: ${login}`,
        };
        const last = suspect.events.at(-1);
        const how =
          suspect.events.length > 0
            ? `Okta's push of the deactivation failed${last?.outcome.reason ? ` (${last.outcome.reason})` : ''}`
            : `the app user is in sync ERROR`;
        const status =
          oktaStatus === null
            ? 'whose Okta status could not be read'
            : `whose Okta account is ${statusPhrase(oktaStatus)}`;
        results.push({
          status: 'FAIL',
          resource,
          owner,
          message: `${login}, ${status}, may still be active in "${entry.label}": ${how}.`,
          evidence: {
            oktaUserStatus: oktaStatus,
            appUserStatus: suspect.inError?.status ?? null,
            syncState: suspect.inError?.syncState ?? null,
            failedPushes: suspect.events.length,
            lastFailedPush: last?.published ?? null,
            lastReason: last?.outcome.reason ?? null,
            eventUuids: suspect.events.map((e) => e.uuid),
          },
        });
      }
      if (entry.unchecked.length > 0) {
        results.push({
          status: 'UNKNOWN',
          resource: allAppUsers({ id: appId, label: entry.label }),
          owner: null,
          message: `Could not fully check whether deactivations reached "${entry.label}": ${entry.unchecked.join('; ')}.`,
          evidence: { unchecked: entry.unchecked, failingUsersFound: failing },
        });
      } else if (failing === 0) {
        results.push({
          status: 'PASS',
          resource: allAppUsers({ id: appId, label: entry.label }),
          owner: null,
          message: `No user deactivated in Okta is left behind in "${entry.label}": no failed deactivation push and no deactivated user in sync error.`,
          evidence: { usersInError: entry.suspects.size, logWindow: inventory.logWindow },
        });
      }
    }
    return results;
  },
};
