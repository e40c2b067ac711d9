import type { Report } from './domain/finding';
import type { FindingChange } from './domain/history';

// With `okta-scan --state-dir`: the report, with each FAIL finding's change since the last scan
// kept in that folder, and what that scan had open and this one saw fixed.

export function withChanges(report: Report, changes: readonly FindingChange[]): Report {
  const byId = new Map(changes.map((c) => [c.finding.id, c.state]));
  const findings = report.findings.map((finding) => {
    const state = byId.get(finding.id);
    return finding.status === 'FAIL' && state && state !== 'RESOLVED' ? { ...finding, change: state } : finding;
  });
  const resolved = changes
    .filter((c) => c.state === 'RESOLVED')
    .map(({ finding }) => ({ id: finding.id, ruleId: finding.ruleId, resource: finding.resource }));
  return { ...report, findings, resolved };
}
