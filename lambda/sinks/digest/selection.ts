import { type ScanError, type Severity, severityRank } from '../../domain/finding';
import { type FindingChange, isViolation } from '../../domain/history';
import { EXPIRY_NOTICE_DAYS, expiringWithin } from '../../suppressions';
import { type PersonAtRisk, peopleAtRisk } from '../report-people';
import type { DigestCounts, DigestInput, DigestStatus, ExpiringSuppression, ScanHeader } from './types';

// What a scan's digest reports, before any wording: the violations to act on, what was resolved,
// the suppressions about to lapse and the counts. The email and JSON render it; an HTML report
// can share it.

const LEAVING_RULE = 'owner-leaving';

export interface DigestSelection {
  status: DigestStatus;
  scan: ScanHeader;
  errors: ScanError[];
  /** New and regressed FAILs, most important first (an owner about to leave before anything else). */
  violations: FindingChange[];
  /** Who the new and regressed violations depend on, most breaking first. */
  people: PersonAtRisk[];
  resolved: FindingChange[];
  /** Soonest first. */
  expiring: ExpiringSuppression[];
  counts: DigestCounts;
  /** The highest severity among the violations. */
  severity: Severity | 'none';
}

export function selectDigest(input: DigestInput): DigestSelection {
  const { report } = input;
  const scan = report ?? input.scan;
  if (!scan) throw new Error('A digest needs the report of the scan, or the scan it is about');
  const status: DigestStatus = input.failure !== undefined || report === null ? 'failed' : report.status;
  const violations = input.changes.filter(isViolation).sort((a, b) => leavingFirst(a, b) || byImportance(a, b));
  const people = peopleAtRisk({ findings: violations.map((c) => c.finding) });
  const resolved = input.changes.filter((c) => c.state === 'RESOLVED').sort(byImportance);
  const expiring = expiringSoon(input.expiringSuppressions, scan).sort(
    (a, b) => cmp(a.expires, b.expires) || cmp(a.ruleId, b.ruleId) || cmp(a.resourceId, b.resourceId),
  );
  const counts: DigestCounts = {
    NEW: violations.filter((c) => c.state === 'NEW').length,
    REGRESSED: violations.filter((c) => c.state === 'REGRESSED').length,
    RESOLVED: resolved.length,
    ONGOING: input.changes.filter((c) => c.state === 'ONGOING').length,
    // A failed scan saw nothing: its report's FAIL count is no measure of what is open.
    open: input.openCount ?? (status === 'failed' || report === null ? null : report.summary.byStatus.FAIL),
    unknown: report?.summary.byStatus.UNKNOWN ?? 0,
    expiringSuppressions: expiring.length,
  };
  // The worst, wherever the ordering put it (an owner leaving comes first whatever its severity).
  const severity = worstSeverity(violations);
  return { status, scan, errors: report?.errors ?? [], violations, people, resolved, expiring, counts, severity };
}

/** The integrations of an owner about to leave are the ones to move this week. */
function leavingFirst(a: FindingChange, b: FindingChange): number {
  return Number(b.finding.ruleId === LEAVING_RULE) - Number(a.finding.ruleId === LEAVING_RULE);
}

function byImportance(a: FindingChange, b: FindingChange): number {
  return (
    severityRank(a.finding.severity) - severityRank(b.finding.severity) ||
    cmp(a.finding.ruleId, b.finding.ruleId) ||
    cmp(a.finding.resource.id, b.finding.resource.id) ||
    cmp(a.finding.id, b.finding.id)
  );
}

/** Suppressions still in force when the scan finished that lapse within the notice window. */
function expiringSoon(suppressions: readonly ExpiringSuppression[], scan: ScanHeader): ExpiringSuppression[] {
  const now = Date.parse(scan.finishedAt) || Date.parse(scan.startedAt);
  if (Number.isNaN(now)) return [...suppressions];
  return expiringWithin(suppressions, new Date(now), EXPIRY_NOTICE_DAYS);
}

export function worstSeverity(changes: readonly FindingChange[]): Severity | 'none' {
  let worst: Severity | 'none' = 'none';
  for (const { finding } of changes) {
    if (worst === 'none' || severityRank(finding.severity) < severityRank(worst)) worst = finding.severity;
  }
  return worst;
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
