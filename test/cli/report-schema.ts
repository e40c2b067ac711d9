import type { Finding, Report } from '../../lambda/domain/finding';
import { RESOURCE_TYPES, SEVERITIES, VERDICTS } from '../../lambda/domain/finding';

// The report schema of docs/report-schema.md, checked by hand so a test names what is off.

const RESOURCE_TYPE_NAMES = Object.keys(RESOURCE_TYPES);
const OWNER_KINDS = ['service', 'human', 'unknown'];
const REPORT_KEYS = [
  'schemaVersion',
  'scanId',
  'org',
  'startedAt',
  'finishedAt',
  'status',
  'errors',
  'summary',
  'findings',
];
// The published rule ids (interfaces.md, "Rule catalogue" and "New rule ids"): suppressions name them.
const PUBLISHED_RULE_IDS = [
  'api-token-owner-is-human',
  'api-token-owner-not-active',
  'api-token-owner-super-admin',
  'api-token-expiring',
  'api-token-unrestricted-network',
  'api-token-unused',
  'ad-agent-token-based',
  'ad-agent-not-operational',
  'workflows-connection-authorized-by-human',
  'workflows-connection-authorizer-not-active',
  'provisioning-connection-disabled',
  'provisioning-auth-failing',
  'provisioning-deactivation-not-pushed',
  'provisioning-deactivation-disabled',
  'provisioning-authorized-by-human',
  'org2org-token-auth',
  'owner-leaving',
  'owner-inactive',
];
const FINDING_KEYS = ['id', 'ruleId', 'status', 'severity', 'resource', 'owner', 'message', 'remediation', 'evidence'];

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isIsoTime(value: unknown): boolean {
  return typeof value === 'string' && /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/.test(value);
}

/** `"compliance": [ { "framework", "control" } ]`, which every finding may carry. */
function isComplianceList(value: unknown): boolean {
  return (
    Array.isArray(value) &&
    value.every((c) => isObject(c) && typeof c.framework === 'string' && typeof c.control === 'string')
  );
}

/** Every way `value` departs from the schema; empty when it fits. */
export function reportSchemaProblems(value: unknown): string[] {
  const problems: string[] = [];
  if (!isObject(value)) return ['report is not an object'];
  for (const key of REPORT_KEYS) if (!(key in value)) problems.push(`missing ${key}`);
  // `resolved` comes with --state-dir only.
  for (const key of Object.keys(value)) {
    if (!REPORT_KEYS.includes(key) && key !== 'resolved') problems.push(`unexpected key ${key}`);
  }
  if (
    value.resolved !== undefined &&
    !(
      Array.isArray(value.resolved) &&
      value.resolved.every(
        (r) => isObject(r) && typeof r.id === 'string' && typeof r.ruleId === 'string' && isObject(r.resource),
      )
    )
  ) {
    problems.push('resolved is not a list of { id, ruleId, resource }');
  }
  if (value.schemaVersion !== 1) problems.push('schemaVersion is not 1');
  if (typeof value.scanId !== 'string' || value.scanId.length === 0) problems.push('scanId is not a string');
  if (typeof value.org !== 'string' || value.org.includes('/')) problems.push('org is not a host');
  if (!isIsoTime(value.startedAt)) problems.push('startedAt is not ISO');
  if (!isIsoTime(value.finishedAt)) problems.push('finishedAt is not ISO');
  if (value.status !== 'complete' && value.status !== 'incomplete') problems.push(`status ${String(value.status)}`);
  if (!Array.isArray(value.errors)) problems.push('errors is not an array');
  else {
    for (const e of value.errors) {
      if (!isObject(e) || typeof e.source !== 'string' || typeof e.message !== 'string') {
        problems.push(`bad error entry ${JSON.stringify(e)}`);
      } else if (e.requiredScope !== undefined && typeof e.requiredScope !== 'string') {
        problems.push('requiredScope is not a string');
      }
    }
    if ((value.status === 'incomplete') !== value.errors.length > 0) problems.push('status disagrees with errors');
  }
  const findings = Array.isArray(value.findings) ? value.findings : [];
  if (!Array.isArray(value.findings)) problems.push('findings is not an array');
  const ids = new Set<string>();
  for (const f of findings) {
    if (!isObject(f)) {
      problems.push('finding is not an object');
      continue;
    }
    const where = `finding ${String(f.id)}`;
    for (const key of FINDING_KEYS) if (!(key in f)) problems.push(`${where}: missing ${key}`);
    if (typeof f.id !== 'string' || ids.has(f.id)) problems.push(`${where}: id missing or duplicated`);
    ids.add(String(f.id));
    if (!PUBLISHED_RULE_IDS.includes(String(f.ruleId)))
      problems.push(`${where}: unpublished rule id ${String(f.ruleId)}`);
    if (!(VERDICTS as readonly unknown[]).includes(f.status)) problems.push(`${where}: status ${String(f.status)}`);
    if (!(SEVERITIES as readonly unknown[]).includes(f.severity)) problems.push(`${where}: severity`);
    const r = f.resource;
    if (
      !isObject(r) ||
      !RESOURCE_TYPE_NAMES.includes(String(r.type)) ||
      typeof r.id !== 'string' ||
      typeof r.name !== 'string'
    ) {
      problems.push(`${where}: bad resource`);
    }
    if (f.owner !== null) {
      const o = f.owner;
      if (
        !isObject(o) ||
        typeof o.id !== 'string' ||
        !OWNER_KINDS.includes(String(o.kind)) ||
        !Array.isArray(o.signals) ||
        !(o.login === null || typeof o.login === 'string') ||
        !(o.status === null || typeof o.status === 'string')
      ) {
        problems.push(`${where}: bad owner`);
      }
    }
    if (typeof f.message !== 'string' || f.message.length === 0) problems.push(`${where}: empty message`);
    if (typeof f.remediation !== 'string' || f.remediation.length === 0) problems.push(`${where}: empty remediation`);
    if (!isObject(f.evidence)) problems.push(`${where}: evidence is not an object`);
    if (f.status === 'SUPPRESSED' && !isObject(f.suppression)) problems.push(`${where}: suppressed without reason`);
    if (f.compliance !== undefined && !isComplianceList(f.compliance)) problems.push(`${where}: bad compliance`);
    if (
      f.change !== undefined &&
      (f.status !== 'FAIL' || !['NEW', 'ONGOING', 'REGRESSED'].includes(String(f.change)))
    ) {
      problems.push(`${where}: change ${String(f.change)} on a ${String(f.status)} finding`);
    }
  }
  const summary = value.summary;
  if (!isObject(summary) || !isObject(summary.byStatus) || !isObject(summary.failBySeverity)) {
    problems.push('summary is malformed');
  } else {
    for (const verdict of VERDICTS) {
      const count = findings.filter((f) => isObject(f) && f.status === verdict).length;
      if (summary.byStatus[verdict] !== count) problems.push(`summary.byStatus.${verdict} != ${count}`);
    }
    for (const severity of SEVERITIES) {
      const count = findings.filter((f) => isObject(f) && f.status === 'FAIL' && f.severity === severity).length;
      if (summary.failBySeverity[severity] !== count) problems.push(`summary.failBySeverity.${severity} != ${count}`);
    }
  }
  return problems;
}

export function finding(overrides: Partial<Finding> = {}): Finding {
  return {
    id: 'f-1',
    ruleId: 'api-token-owner-is-human',
    status: 'FAIL',
    severity: 'high',
    resource: { type: 'api_token', id: '00T1', name: 'SIEM export' },
    owner: {
      id: '00u1',
      login: 'alice@acme.com',
      status: 'ACTIVE',
      kind: 'human',
      signals: ['no service-account signal'],
    },
    message: 'API token "SIEM export" is owned by alice@acme.com, a person.',
    remediation: 'Recreate the token as a service account.',
    evidence: {},
    ...overrides,
  };
}

/** A small report whose summary agrees with its findings. */
export function sampleReport(findings: Finding[], overrides: Partial<Report> = {}): Report {
  const byStatus = { PASS: 0, FAIL: 0, UNKNOWN: 0, SUPPRESSED: 0 };
  const failBySeverity = { critical: 0, high: 0, medium: 0, low: 0, info: 0 };
  for (const f of findings) {
    byStatus[f.status] += 1;
    if (f.status === 'FAIL') failBySeverity[f.severity] += 1;
  }
  return {
    schemaVersion: 1,
    scanId: 'scan-1',
    org: 'acme.okta.com',
    startedAt: '2026-11-28T02:00:00.000Z',
    finishedAt: '2026-11-28T02:00:05.000Z',
    status: 'complete',
    errors: [],
    summary: { byStatus, failBySeverity },
    findings,
    ...overrides,
  };
}
