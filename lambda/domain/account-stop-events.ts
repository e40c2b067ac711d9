// The System Log events after which an account no longer works, so the integrations that run on
// it stop: Okta's event-type catalogue, https://developer.okta.com/docs/reference/api/event-types/
// (user.lifecycle.deactivate, user.lifecycle.suspend, user.account.lock "Max sign in attempts
// exceeded", user.lifecycle.delete.initiated). Both the EventBridge rule (lib/) and the payload
// check (lambda/okta-event.ts) read this list, so they cannot disagree.

export const ACCOUNT_STOP_EVENT_TYPES = [
  'user.lifecycle.deactivate',
  'user.lifecycle.suspend',
  'user.account.lock',
  'user.lifecycle.delete.initiated',
] as const;

export type AccountStopEventType = (typeof ACCOUNT_STOP_EVENT_TYPES)[number];

/** How the alert says what happened: "frank.miller@acme.com was deactivated at 14:02 UTC". */
export const ACCOUNT_STOP_VERB: Record<AccountStopEventType, string> = {
  'user.lifecycle.deactivate': 'deactivated',
  'user.lifecycle.suspend': 'suspended',
  'user.account.lock': 'locked out',
  'user.lifecycle.delete.initiated': 'deleted',
};

/**
 * Whether the integrations stop at once. A locked-out account still counts as active for its API
 * tokens (Okta support, "API Token Validity After an Okta Admin Password Reset"; README "Which
 * statuses stop which integrations"), so a lock-out is a warning, not an outage.
 */
export const STOPS_AT_ONCE: Record<AccountStopEventType, boolean> = {
  'user.lifecycle.deactivate': true,
  'user.lifecycle.suspend': true,
  'user.account.lock': false,
  'user.lifecycle.delete.initiated': true,
};

/** The account an event stopped, from the LogEvent. */
export interface StoppedAccount {
  id: string;
  /** The LogEvent's alternateId (the login), when it gave one. */
  login: string | null;
}

/** One account-stopping event, as the Lambda takes it from the Okta partner event bus. */
export interface AccountStopEvent {
  /** The LogEvent's uuid: Okta delivers at least once, so the same event may come twice. */
  uuid: string;
  eventType: AccountStopEventType;
  published: string;
  account: StoppedAccount;
}
