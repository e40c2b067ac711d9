// Findings and the report: the public shapes of ../shared/interfaces.md ("The report").

export const SEVERITIES = ['critical', 'high', 'medium', 'low', 'info'] as const;
export type Severity = (typeof SEVERITIES)[number];

export const VERDICTS = ['PASS', 'FAIL', 'UNKNOWN', 'SUPPRESSED'] as const;
export type Verdict = (typeof VERDICTS)[number];

export type ResourceType = 'api_token' | 'ad_agent' | 'workflows_connection' | 'app_provisioning' | 'app_user';

export interface ResourceRef {
  type: ResourceType;
  id: string;
  name: string;
}

export type OwnerKind = 'service' | 'human' | 'unknown';

export interface FindingOwner {
  id: string;
  login: string | null;
  status: string | null;
  kind: OwnerKind;
  /** Why the owner was classified as it was, e.g. "profile.userType=Employee". */
  signals: string[];
}

export interface Finding {
  /** Stable: the same rule and resource give the same id in every scan. */
  id: string;
  ruleId: string;
  status: Verdict;
  severity: Severity;
  resource: ResourceRef;
  owner: FindingOwner | null;
  message: string;
  remediation: string;
  evidence: Record<string, unknown>;
  /** Present when status is SUPPRESSED. */
  suppression?: { reason: string; expires: string };
}

export interface ScanError {
  source: string;
  message: string;
  requiredScope?: string;
}

export type ScanStatus = 'complete' | 'incomplete';

export interface ReportSummary {
  byStatus: Record<Verdict, number>;
  failBySeverity: Record<Severity, number>;
}

export interface Report {
  schemaVersion: 1;
  scanId: string;
  org: string;
  startedAt: string;
  finishedAt: string;
  status: ScanStatus;
  errors: ScanError[];
  summary: ReportSummary;
  findings: Finding[];
}

/** Ordering for "at or above": critical is 0. */
export function severityRank(severity: Severity): number {
  return SEVERITIES.indexOf(severity);
}
