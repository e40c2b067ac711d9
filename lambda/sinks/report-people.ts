import { type Finding, type FindingOwner, type Report, SEVERITIES, type Severity } from '../domain/finding';

// Who the org's integrations depend on, from the report alone: the owners of FAIL and UNKNOWN
// findings, each with how many open findings of each severity rest on them.

export interface PersonAtRisk {
  owner: FindingOwner;
  bySeverity: Record<Severity, number>;
  /** Distinct resources (tokens, agents, connections, apps) among those findings. */
  integrations: number;
  total: number;
}

const OPEN: ReadonlySet<Finding['status']> = new Set(['FAIL', 'UNKNOWN']);

function emptyCounts(): Record<Severity, number> {
  return Object.fromEntries(SEVERITIES.map((s) => [s, 0])) as Record<Severity, number>;
}

/** Most breaking first: by critical count, then high, …, then total, then login. */
function compare(a: PersonAtRisk, b: PersonAtRisk): number {
  for (const s of SEVERITIES) {
    if (a.bySeverity[s] !== b.bySeverity[s]) return b.bySeverity[s] - a.bySeverity[s];
  }
  return b.total - a.total || (a.owner.login ?? a.owner.id).localeCompare(b.owner.login ?? b.owner.id);
}

export function peopleAtRisk(report: Pick<Report, 'findings'>): PersonAtRisk[] {
  const people = new Map<string, { person: PersonAtRisk; resources: Set<string> }>();
  for (const finding of report.findings) {
    if (!OPEN.has(finding.status) || finding.owner === null) continue;
    let entry = people.get(finding.owner.id);
    if (!entry) {
      entry = {
        person: { owner: finding.owner, bySeverity: emptyCounts(), integrations: 0, total: 0 },
        resources: new Set(),
      };
      people.set(finding.owner.id, entry);
    }
    entry.person.bySeverity[finding.severity] += 1;
    entry.person.total += 1;
    entry.resources.add(`${finding.resource.type}/${finding.resource.id}`);
    entry.person.integrations = entry.resources.size;
  }
  return [...people.values()].map((e) => e.person).sort(compare);
}
