import type { Finding, FindingOwner, OwnerKind, Report, Severity, Verdict } from '../domain/finding';
import type { Rule } from '../domain/rule';

// Findings as OCSF Compliance Finding events (class_uid 2003, category 2 "Findings"), one per
// finding, for a SIEM or data lake that speaks OCSF. Mapped against OCSF 1.8.0:
// https://schema.ocsf.io/1.8.0/classes/compliance_finding
// (events/findings/compliance_finding.json, finding.json and base_event.json in
// https://github.com/ocsf/ocsf-schema at tag 1.8.0).

export const OCSF_VERSION = '1.8.0';
const PRODUCT = { name: 'okta-ownership-scanner', vendor_name: 'okta-ownership-scanner' } as const;

export interface OcsfOptions {
  /** A rule's title and references (the finding's title, the remediation's references). */
  describeRule?: (ruleId: string) => Pick<Rule, 'title' | 'references'> | undefined;
}

/** severity_id (base event): 1 Informational … 5 Critical. */
const SEVERITY_ID: Record<Severity, [number, string]> = {
  info: [1, 'Informational'],
  low: [2, 'Low'],
  medium: [3, 'Medium'],
  high: [4, 'High'],
  critical: [5, 'Critical'],
};

/**
 * compliance.status_id: 1 Pass, 2 Warning ("did not yield a result due to missing information",
 * which is what UNKNOWN means: never Pass), 3 Fail. A SUPPRESSED finding is a FAIL someone
 * accepted, so the check still fails; the acceptance is the finding's status_id.
 */
const COMPLIANCE_STATUS: Record<Verdict, [number, string]> = {
  PASS: [1, 'Pass'],
  UNKNOWN: [2, 'Warning'],
  FAIL: [3, 'Fail'],
  SUPPRESSED: [3, 'Fail'],
};

/** status_id (finding lifecycle): 1 New, 3 Suppressed. The CLI keeps no triage state. */
const FINDING_STATUS: Record<Verdict, [number, string]> = {
  PASS: [1, 'New'],
  UNKNOWN: [1, 'New'],
  FAIL: [1, 'New'],
  SUPPRESSED: [3, 'Suppressed'],
};

/** user.type_id: 1 User, 4 Service, 0 Unknown. */
const USER_TYPE: Record<OwnerKind, [number, string]> = {
  human: [1, 'User'],
  service: [4, 'Service'],
  unknown: [0, 'Unknown'],
};

export type OcsfEvent = Record<string, unknown>;

function ocsfUser(owner: FindingOwner): Record<string, unknown> {
  const [typeId, type] = USER_TYPE[owner.kind];
  return { uid: owner.id, ...(owner.login ? { name: owner.login } : {}), type_id: typeId, type };
}

function compliance(finding: Finding): Record<string, unknown> {
  const [statusId, status] = COMPLIANCE_STATUS[finding.status];
  const refs = finding.compliance ?? [];
  return {
    control: finding.ruleId,
    status_id: statusId,
    status,
    status_code: finding.status,
    ...(refs.length > 0
      ? {
          standards: [...new Set(refs.map((r) => r.framework))],
          requirements: refs.map((r) => `${r.framework}: ${r.control}`),
        }
      : {}),
  };
}

/** The owner travels as the resource's owner (resource_details.owner, a User object). */
function resource(finding: Finding): Record<string, unknown> {
  const { type, id, name } = finding.resource;
  return {
    uid: id,
    name,
    type,
    role_id: 1,
    role: 'Target',
    ...(finding.owner ? { owner: ocsfUser(finding.owner) } : {}),
  };
}

export function toOcsfEvent(report: Report, finding: Finding, options: OcsfOptions = {}): OcsfEvent {
  const rule = options.describeRule?.(finding.ruleId);
  const [severityId, severity] = SEVERITY_ID[finding.severity];
  const [statusId, status] = FINDING_STATUS[finding.status];
  const references = rule?.references ?? [];
  return {
    category_uid: 2,
    category_name: 'Findings',
    class_uid: 2003,
    class_name: 'Compliance Finding',
    activity_id: 1,
    activity_name: 'Create',
    type_uid: 200301,
    type_name: 'Compliance Finding: Create',
    time: Date.parse(report.finishedAt),
    severity_id: severityId,
    severity,
    status_id: statusId,
    status,
    status_code: finding.status,
    status_detail: finding.message,
    message: finding.message,
    metadata: { version: OCSF_VERSION, product: PRODUCT, tenant_uid: report.org, correlation_uid: report.scanId },
    finding_info: {
      uid: finding.id,
      title: rule?.title ?? finding.ruleId,
      desc: finding.message,
      types: [finding.ruleId],
    },
    compliance: compliance(finding),
    resources: [resource(finding)],
    remediation: { desc: finding.remediation, ...(references.length > 0 ? { references: [...references] } : {}) },
    unmapped: {
      evidence: finding.evidence,
      ...(finding.owner ? { owner: { status: finding.owner.status, signals: finding.owner.signals } } : {}),
      ...(finding.suppression ? { suppression: finding.suppression } : {}),
      ...(report.status === 'incomplete' ? { scanIncomplete: report.errors } : {}),
    },
  };
}

/** One event per finding, PASS included (a compliance check that passed), as a JSON array. */
export function renderReportOcsf(report: Report, options: OcsfOptions = {}): string {
  return `${JSON.stringify(
    report.findings.map((f) => toOcsfEvent(report, f, options)),
    null,
    2,
  )}\n`;
}
