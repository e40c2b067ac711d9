// Compliant: every user deactivated in Okta was also deactivated in each app that Okta pushes users to (no failed push, no sync error).
import type { AppUserInError, Inventory, LogEventSummary } from '../domain/inventory';
import { pushesUsers } from '../domain/provisioning';
import type { Rule, RuleContext, RuleResult } from '../domain/rule';
import { statusPhrase, toOwner } from './support/phrasing';
import { REFERENCES } from './support/references';
import { allAppUsers, targetOfType } from './support/resources';
import { describeFailure, failedSource } from './support/sources';
import { verdicts } from './support/verdicts';

// Resource convention: a failing user is an app_user row `<appId>/<userId>`; an app with no
// failing user gets one app_user row `<appId>/*` ("<label>: all users"), PASS when everything
// was checked and UNKNOWN when part of it could not be read.

interface Suspect {
  userId: string;
  login: string | null;
  events: LogEventSummary[];
  inError: AppUserInError | null;
}

interface AppSuspects {
  id: string;
  label: string;
  suspects: Map<string, Suspect>;
  /** What could not be checked for this app. */
  unchecked: string[];
}

/** The users in sync error of every app Okta pushes users to, keyed by app id. */
function appsWithUsersInError(inventory: Inventory): Map<string, AppSuspects> {
  const logFailure = failedSource(inventory, 'provisioningEvents');
  const apps = new Map<string, AppSuspects>();
  for (const app of inventory.provisioningApps) {
    // Okta sends no deactivation to an app it pushes no users to (Org2Org for sign-in or
    // import only): nothing to miss there, unless a failed push names it.
    if (pushesUsers(app) === false) continue;
    const entry: AppSuspects = { id: app.id, label: app.label, suspects: new Map(), unchecked: [] };
    apps.set(app.id, entry);
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
  return apps;
}

/** Users in sync error and failed deactivation pushes, grouped by app (including apps no longer listed). */
function suspectsByApp(inventory: Inventory): AppSuspects[] {
  const apps = appsWithUsersInError(inventory);
  let unattributed = 0;
  for (const event of inventory.deactivationPushFailures) {
    const appTarget = targetOfType(event.target, 'AppInstance');
    const userTarget = targetOfType(event.target, 'User');
    if (!appTarget || !userTarget) {
      unattributed++;
      continue;
    }
    let entry = apps.get(appTarget.id);
    if (!entry) {
      const label = appTarget.displayName ?? appTarget.alternateId ?? appTarget.id;
      entry = { id: appTarget.id, label, suspects: new Map(), unchecked: [] };
      apps.set(appTarget.id, entry);
    }
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
    const s = unattributed === 1 ? '' : 'es';
    const verb = unattributed === 1 ? 'names' : 'name';
    for (const entry of apps.values()) {
      entry.unchecked.push(`${unattributed} failed deactivation push${s} ${verb} no app or no user`);
    }
  }
  return [...apps.values()];
}

/** FAIL for a suspect whose Okta account is not active (or unread); null for a user still active in Okta. */
function judgeSuspect(app: AppSuspects, suspect: Suspect, ctx: RuleContext): RuleResult | null {
  const classification = ctx.classifyOwner(suspect.userId);
  // Okta sent no status (''): not known to be active, so it is not set aside as active.
  const oktaStatus = classification.missing ? 'DELETED' : classification.status || null;
  // A user still active in Okta with a sync error has a different problem, not a missed deactivation.
  const stillActive = oktaStatus !== null && oktaStatus !== 'DEPROVISIONED' && oktaStatus !== 'DELETED';
  if (suspect.events.length === 0 && stillActive) return null;
  const owner = toOwner(classification);
  const login = owner.login ?? suspect.login ?? suspect.userId;
  const resource = { type: 'app_user' as const, id: `${app.id}/${suspect.userId}`, name: `${app.label}: ${login}` };
  const last = suspect.events.at(-1);
  const how =
    suspect.events.length > 0
      ? `Okta's push of the deactivation failed${last?.outcome.reason ? ` (${last.outcome.reason})` : ''}`
      : `the app user is in sync ERROR`;
  const status =
    oktaStatus === null ? 'whose Okta status could not be read' : `whose Okta account is ${statusPhrase(oktaStatus)}`;
  return verdicts(resource, owner, {
    oktaUserStatus: oktaStatus,
    appUserStatus: suspect.inError?.status ?? null,
    syncState: suspect.inError?.syncState ?? null,
    failedPushes: suspect.events.length,
    lastFailedPush: last?.published ?? null,
    lastReason: last?.outcome.reason ?? null,
    eventUuids: suspect.events.map((e) => e.uuid),
  }).fail(`${login}, ${status}, may still be active in "${app.label}": ${how}.`);
}

/** The app's failing users, then its `<appId>/*` row: UNKNOWN if part was unread, PASS if none failed. */
function judgeApp(app: AppSuspects, inventory: Inventory, ctx: RuleContext): RuleResult[] {
  const failing = [...app.suspects.values()].flatMap((suspect) => judgeSuspect(app, suspect, ctx) ?? []);
  if (app.unchecked.length > 0) {
    return [
      ...failing,
      verdicts(allAppUsers(app), null, { unchecked: app.unchecked, failingUsersFound: failing.length }).unknown(
        `Could not fully check whether deactivations reached "${app.label}": ${app.unchecked.join('; ')}.`,
      ),
    ];
  }
  if (failing.length > 0) return failing;
  return [
    verdicts(allAppUsers(app), null, { usersInError: app.suspects.size, logWindow: inventory.logWindow }).pass(
      `No user deactivated in Okta is left behind in "${app.label}": no failed deactivation push and no deactivated user in sync error.`,
    ),
  ];
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
  compliance: [],
  sources: ['apps', 'provisioning', 'provisioningEvents', 'owners'],
  listedFrom: 'apps',
  listedWhat: 'Deactivation pushes',
  judgesApps: 'pushing-users',
  evaluate(inventory, ctx): RuleResult[] {
    return suspectsByApp(inventory).flatMap((app) => judgeApp(app, inventory, ctx));
  },
};
