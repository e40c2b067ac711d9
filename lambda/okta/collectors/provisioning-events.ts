import type { LogEventSummary, SourceName } from '../../domain/inventory';
import type { OktaClient } from '../client';
import { type LocalFilter, type LogWindow, queryLog } from '../system-log';

/** Provisioning failures and authorizations from the System Log (okta.logs.read). */
export const PROVISIONING_EVENT_SOURCES: readonly SourceName[] = ['provisioningEvents'];

// Okta logs provisioning errors under the same event types as successes (the legacy
// app.api.error.* events map onto them), so failures are told apart by outcome.result.
// application.configuration.update is "Okta couldn't verify api credentials" despite its name.
export const AUTH_FAILURE_FILTER =
  'eventType eq "application.integration.authentication_failure" or (eventType eq "application.configuration.update" and outcome.result eq "FAILURE")';
export const DEACTIVATION_FAILURE_FILTER =
  '(eventType eq "application.provision.user.deactivate" or eventType eq "application.provision.user.deprovision") and outcome.result eq "FAILURE"';
// Okta logs no event for "provisioning connection authorized". The closest is a successful
// application.lifecycle.update made by a person: saving the provisioning settings (and the
// credentials in them) is an app update. A heuristic: the last such update per app.
export const AUTHORIZATION_FILTER =
  'eventType eq "application.lifecycle.update" and outcome.result eq "SUCCESS" and actor.type eq "User"';

const failed = (event: LogEventSummary): boolean => event.outcome.result === 'FAILURE';
/** The three filters above, as applied to the events of a shared query (system-log.ts). */
export const AUTH_FAILURE_LOCAL: LocalFilter = {
  eventTypes: ['application.integration.authentication_failure', 'application.configuration.update'],
  matches: (e) =>
    e.eventType === 'application.integration.authentication_failure' ||
    (e.eventType === 'application.configuration.update' && failed(e)),
};
export const DEACTIVATION_FAILURE_LOCAL: LocalFilter = {
  eventTypes: ['application.provision.user.deactivate', 'application.provision.user.deprovision'],
  matches: (e) => DEACTIVATION_FAILURE_LOCAL.eventTypes.includes(e.eventType) && failed(e),
};
export const AUTHORIZATION_LOCAL: LocalFilter = {
  eventTypes: ['application.lifecycle.update'],
  matches: (e) =>
    e.eventType === 'application.lifecycle.update' && e.outcome.result === 'SUCCESS' && e.actor?.type === 'User',
};

/** The last person-made update per app id (events oldest first). */
export function lastAuthorizationPerApp(events: readonly LogEventSummary[]): Record<string, LogEventSummary> {
  const byApp: Record<string, LogEventSummary> = {};
  for (const event of events) {
    if (event.actor?.type !== 'User') continue;
    if (event.outcome.result !== null && event.outcome.result !== 'SUCCESS') continue;
    for (const target of event.target) {
      if (target.type !== 'AppInstance') continue;
      const previous = byApp[target.id];
      if (!previous || previous.published <= event.published) byApp[target.id] = event;
    }
  }
  return byApp;
}

/** The window's raw provisioning events: failures, and the app updates that may be authorizations. */
export async function readProvisioningEvents(
  client: OktaClient,
  window: LogWindow,
): Promise<{ authFailures: LogEventSummary[]; deactivationFailures: LogEventSummary[]; updates: LogEventSummary[] }> {
  const [authFailures, deactivationFailures, updates] = await Promise.all([
    queryLog(client, window, AUTH_FAILURE_FILTER, 'provisioning authentication failures', AUTH_FAILURE_LOCAL),
    queryLog(client, window, DEACTIVATION_FAILURE_FILTER, 'failed deactivation pushes', DEACTIVATION_FAILURE_LOCAL),
    queryLog(client, window, AUTHORIZATION_FILTER, 'app provisioning updates', AUTHORIZATION_LOCAL),
  ]);
  return { authFailures, deactivationFailures, updates };
}
