// Findings and the report: the public shapes the README's report section describes.

import type { ComplianceRef } from './compliance';

export const SEVERITIES = ['critical', 'high', 'medium', 'low', 'info'] as const;
export type Severity = (typeof SEVERITIES)[number];

export const VERDICTS = ['PASS', 'FAIL', 'UNKNOWN', 'SUPPRESSED'] as const;
export type Verdict = (typeof VERDICTS)[number];

export interface ResourceTypeInfo {
  /** What one resource is called in a line of a report, e.g. `API token "SIEM export"`. */
  label: string;
  /** The name of the row that stands for every resource of the type. */
  plural: string;
  /** The id of that row. */
  allId: string;
  /** How a sentence names one resource: `Could not check the provisioning of "Salesforce"`. */
  inSentence: string;
}

/** Every kind of resource a finding can be about, with the words reports use for it. */
export const RESOURCE_TYPES = {
  api_token: { label: 'API token', plural: 'API tokens', allId: 'api-tokens/*', inSentence: 'API token' },
  ad_agent: { label: 'AD agent', plural: 'AD agents', allId: 'ad-agents/*', inSentence: 'AD agent' },
  workflows_connection: {
    label: 'Workflows connection',
    plural: 'Workflows connections',
    allId: 'workflows/*',
    inSentence: 'Workflows connection',
  },
  app_provisioning: {
    label: 'app provisioning',
    plural: 'Provisioning apps',
    allId: 'apps/*',
    inSentence: 'the provisioning of',
  },
  // Per-app rows of app_user rules use `<appId>/*` the same way.
  app_user: { label: 'app user', plural: 'Users of provisioning apps', allId: 'apps/*', inSentence: 'app users of' },
} as const satisfies Record<string, ResourceTypeInfo>;

export type ResourceType = keyof typeof RESOURCE_TYPES;

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
  /** The controls of the rule (empty when none); absent in records written before they existed. */
  compliance?: ComplianceRef[];
  /** Present when status is SUPPRESSED. */
  suppression?: { reason: string; expires: string };
  /** With `okta-scan --state-dir`: how a FAIL changed since the last scan kept there. */
  change?: 'NEW' | 'ONGOING' | 'REGRESSED';
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
  /** With `okta-scan --state-dir`: what the last scan kept there had open and this one saw fixed. */
  resolved?: { id: string; ruleId: string; resource: ResourceRef }[];
}

/**
 * The resource a rule reports on when it cannot list its resources at all (the listing source
 * failed, or the rule threw).
 */
export const ALL_RESOURCES: Readonly<Record<ResourceType, ResourceRef>> = Object.fromEntries(
  Object.entries(RESOURCE_TYPES).map(([type, info]) => [type, { type, id: info.allId, name: info.plural }]),
) as Record<ResourceType, ResourceRef>;

/** Ordering for "at or above": critical is 0. */
export function severityRank(severity: Severity): number {
  return SEVERITIES.indexOf(severity);
}
