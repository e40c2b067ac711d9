// Owners about to stop working: leavers (a leavers group, or a leaving date in the profile) and
// owners an inactivity policy will suspend. Read from what the owner reads already return (the
// user object carries `lastLogin` and the profile), so no request is added.
import type { OwnerUser } from './inventory';

const DAY_MS = 86_400_000;

/** The warning lead of the leaver and inactivity rules when the config gives no `leavers`. */
export const DEFAULT_WARNING_DAYS = 30;
const DATE_VALUE = /^\d{4}-\d{2}-\d{2}/;

/** The config's `leavers`: any of its signals marks an owner as leaving. */
export interface LeaversSettings {
  /** Group names (case-insensitive) whose members are leaving. */
  groups: readonly string[];
  /** A profile attribute holding the leaving date, e.g. terminationDate. */
  dateAttribute?: string;
  /** How many days before that date (or before an inactivity suspension) to warn. */
  warningDays: number;
}

export type LeavingVerdict =
  | { status: 'leaving'; reason: string; date: string | null; daysLeft: number | null }
  | { status: 'staying' }
  /** What would tell was not read: the owner's groups, or (older inventories) the profile's dates. */
  | { status: 'unknown'; why: string };

/**
 * The profile attributes that hold a date (Okta keeps custom date attributes as ISO strings):
 * kept whatever their name, so a saved inventory can be judged with any `leavers.dateAttribute`.
 */
export function profileDates(profile: Readonly<Record<string, unknown>>): Record<string, string> {
  const dates: Record<string, string> = {};
  for (const [name, value] of Object.entries(profile)) {
    if (typeof value === 'string' && DATE_VALUE.test(value) && !Number.isNaN(Date.parse(value))) dates[name] = value;
  }
  return dates;
}

/** Whole days from `now` to `date`, rounded up: tomorrow at any hour is 1. */
export function daysUntil(date: string, now: Date): number {
  return Math.ceil((Date.parse(date) - now.getTime()) / DAY_MS);
}

function leavingGroup(user: OwnerUser, groups: readonly string[]): string | null | undefined {
  if (groups.length === 0) return null;
  if (user.groups === null) return undefined;
  const wanted = new Set(groups.map((g) => g.toLowerCase()));
  return user.groups.find((g) => wanted.has(g.name.toLowerCase()))?.name ?? null;
}

/** Whether the owner is leaving, by group or by date; a signal that says so wins over one that could not be read. */
export function leavingVerdict(user: OwnerUser, leavers: LeaversSettings, now: Date): LeavingVerdict {
  const unread: string[] = [];
  const group = leavingGroup(user, leavers.groups);
  if (group === undefined) unread.push('their groups could not be read');
  const attribute = leavers.dateAttribute;
  if (attribute !== undefined) {
    const value = user.profileDates === undefined ? undefined : (user.profileDates[attribute] ?? null);
    if (value === undefined) unread.push(`profile.${attribute} was not read (the inventory predates it)`);
    else if (value !== null) {
      const daysLeft = daysUntil(value, now);
      if (daysLeft <= leavers.warningDays) {
        return { status: 'leaving', reason: `${attribute} ${value.slice(0, 10)}`, date: value.slice(0, 10), daysLeft };
      }
    }
  }
  if (group) return { status: 'leaving', reason: `group ${group}`, date: null, daysLeft: null };
  return unread.length > 0 ? { status: 'unknown', why: unread.join('; ') } : { status: 'staying' };
}

export type InactivityVerdict =
  | { status: 'inactive'; lastLogin: string | null; suspendsOn: string | null }
  | { status: 'active-enough'; lastLogin: string }
  | { status: 'unknown'; why: string };

/**
 * Whether an inactivity policy that suspends after `suspendDays` without a sign-in will suspend
 * the owner within `warningDays`. API calls made with a token do not count as sign-ins.
 */
export function inactivityVerdict(
  user: OwnerUser,
  suspendDays: number,
  warningDays: number,
  now: Date,
): InactivityVerdict {
  if (user.lastLogin === undefined) return { status: 'unknown', why: 'the inventory predates sign-in times' };
  if (user.lastLogin === null) return { status: 'inactive', lastLogin: null, suspendsOn: null };
  const since = Date.parse(user.lastLogin);
  if (Number.isNaN(since)) return { status: 'unknown', why: `lastLogin "${user.lastLogin}" is not a time` };
  const suspendsAt = since + suspendDays * DAY_MS;
  if (suspendsAt - now.getTime() > warningDays * DAY_MS) return { status: 'active-enough', lastLogin: user.lastLogin };
  return { status: 'inactive', lastLogin: user.lastLogin, suspendsOn: new Date(suspendsAt).toISOString().slice(0, 10) };
}
