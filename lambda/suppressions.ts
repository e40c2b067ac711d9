import type { Suppression } from './config';

// When a suppression applies and when it is about to lapse: the engine, the Lambda job and the
// digest all ask here, so they cannot disagree about the last day.

const DAY_MS = 86_400_000;

/** How far ahead the nightly digest warns of a suppression about to lapse. */
export const EXPIRY_NOTICE_DAYS = 14;

/** A date-only expiry ("2027-01-31") holds through the end of that day (UTC). */
function expiryTime(expires: string): number {
  return /^\d{4}-\d{2}-\d{2}$/.test(expires) ? Date.parse(`${expires}T23:59:59.999Z`) : Date.parse(expires);
}

/** Whether the suppression still hides its finding at `now`. */
export function isActive(suppression: Pick<Suppression, 'expires'>, now: Date): boolean {
  return expiryTime(suppression.expires) >= now.getTime();
}

/** Suppressions that no longer apply, so the CLI can warn that they hide nothing any more. */
export function expired<T extends Pick<Suppression, 'expires'>>(suppressions: readonly T[], now: Date): T[] {
  return suppressions.filter((s) => !isActive(s, now));
}

/**
 * Suppressions still in force at `now` whose expiry date is at most `days` days away: on its
 * last day a suppression is still listed, since it still hides its finding.
 */
export function expiringWithin<T extends Pick<Suppression, 'expires'>>(
  suppressions: readonly T[],
  now: Date,
  days: number,
): T[] {
  const horizon = now.getTime() + days * DAY_MS;
  return suppressions.filter((s) => isActive(s, now) && Date.parse(s.expires) <= horizon);
}
