import type { StoppedAccount } from '../domain/account-stop-events';
import { DEPENDENCY_KINDS } from '../domain/dependencies';
import type { Finding } from '../domain/finding';
import type { OpenFinding } from '../domain/history';
import { METRIC } from '../function-contract';
import type { JobDeps } from '../job-deps';
import type { OwnerEventRequest } from '../okta-event';
import { buildOwnerAlert, stoppedIntegrations } from '../sinks/owner-alert';

// An account was deactivated, suspended, locked out or deleted in Okta (the System Log event
// arrived over EventBridge): when integrations run on it, say so at once, to the digest's topic.
// The owners come from the recorded scans' open findings: no Okta request, nothing written.

export interface OwnerStoppedResult {
  mode: 'ownerStopped';
  eventType: OwnerEventRequest['event']['eventType'];
  user: StoppedAccount;
  /** The org whose record was read; null when no scan has been recorded for the secret yet. */
  org: string | null;
  /** Integrations that run on the account, per the record. */
  integrations: number;
  notified: boolean;
}

const OPEN: ReadonlySet<Finding['status']> = new Set(['FAIL', 'UNKNOWN']);
// Integrations that run on an account; an app user left active (also "owned" by the person) is not one.
const INTEGRATIONS: ReadonlySet<string> = new Set(DEPENDENCY_KINDS);

/** The open findings on integrations run by this account, matched by id, or by login. */
export function ownedBy(open: readonly OpenFinding[], account: StoppedAccount): Finding[] {
  const login = account.login?.toLowerCase();
  return open
    .map((o) => o.finding)
    .filter(
      (f) =>
        OPEN.has(f.status) &&
        INTEGRATIONS.has(f.resource.type) &&
        f.owner !== null &&
        (f.owner.id === account.id || (login !== undefined && f.owner.login?.toLowerCase() === login)),
    );
}

export async function runOwnerStopped(request: OwnerEventRequest, deps: JobDeps): Promise<OwnerStoppedResult> {
  const { event } = request;
  const result = { mode: 'ownerStopped' as const, eventType: event.eventType, user: event.account };
  const logged = { eventType: event.eventType, eventUuid: event.uuid, userId: event.account.id };
  if (!request.stopped) {
    deps.log.info('the Okta event says the change failed: the account still works', logged);
    return { ...result, org: null, integrations: 0, notified: false };
  }
  // The org the secret points at, as the last recorded scan saw it: reading the secret or Okta would be slower.
  const org = await deps.store.secretOrg(deps.secretName);
  if (org === null) {
    deps.log.warn('no scan recorded yet: cannot tell whose integrations stop', logged);
    return { ...result, org, integrations: 0, notified: false };
  }
  const findings = ownedBy(await deps.store.openFindings(org), event.account);
  const integrations = stoppedIntegrations(findings).length;
  if (integrations === 0) {
    deps.log.info('the account owns no integration in the record', { ...logged, org });
    return { ...result, org, integrations, notified: false };
  }
  const recordPointer = `the open findings of ${org} in ${deps.historyPointer ?? deps.recordPointer}`;
  const alert = buildOwnerAlert({ org, event, findings, recordPointer });
  try {
    await deps.notifier.publish(alert);
  } catch (error) {
    // Thrown on: the failed invocation lands in the function's failure queue and its Errors alarm.
    deps.metrics.count(METRIC.notificationFailed, 1);
    throw error;
  }
  deps.metrics.count(METRIC.notificationSent, 1);
  deps.log.info('owner alert sent', { ...logged, org, integrations });
  return { ...result, org, integrations, notified: true };
}
