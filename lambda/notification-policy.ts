import type { Report } from './domain/finding';
import { type FindingChange, isViolation } from './domain/history';

// When a scan is worth a notification: the config's `notify` mode ("changes" or "always").

export type NotifyMode = 'changes' | 'always';

/** `report` is null for a scan that never finished: that is always worth saying. */
export function shouldNotify(notify: NotifyMode, report: Report | null, changes: readonly FindingChange[]): boolean {
  if (report === null) return true;
  if (notify === 'always') return true;
  if (report.status === 'incomplete') return true;
  return changes.some((c) => isViolation(c) || c.state === 'RESOLVED');
}
