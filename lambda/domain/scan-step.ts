// What a scan run in steps carries from one step to the next (the orchestration stores it):
// Okta's answers, the rate-limit windows, and why a step stopped.

/** One final answer Okta gave, as much of it as a replay needs. */
export interface JournalAnswer {
  status: number;
  /** Lower-case names; only link, content-type, date and x-rate-limit-*. */
  headers: Record<string, string>;
  body: string;
}

/** A rate-limit bucket's window as the client last saw it; resetAt in epoch ms of the local clock. */
export interface GateWindow {
  remaining: number;
  resetAt: number;
}

/** Per bucket (apps, logs, usersList…), the windows a resumed step must still respect. */
export type GateSnapshot = Record<string, GateWindow>;

/** Why a step stopped: its invocation is about to end, or Okta's rate limit asks for a long wait. */
export type StepStop = { reason: 'deadline' } | { reason: 'wait'; waitMs: number };
