import { classifyOwner } from './classify-owner';
import type { ScannerConfig } from './config';
import { DEPENDENCY_KINDS, type Dependency, dependencies } from './domain/dependencies';
import { type Finding, type Report, type Severity, severityRank } from './domain/finding';
import type { Inventory } from './domain/inventory';
import { leavingVerdict } from './domain/leaving';
import { BREAK_SEVERITIES, type Breaks, type PeopleReport, type Person, type PersonIntegration } from './domain/people';

// The people view: every account that integrations run on, with what breaks when it stops,
// worst first. Computed from a finished scan (its findings and inventory): no Okta request.

export interface PeopleOptions {
  config: ScannerConfig;
  /** The scan's evaluation time: leaving dates are counted from it. */
  now: Date;
}

const KIND_ORDER: Record<string, number> = Object.fromEntries(DEPENDENCY_KINDS.map((k, i) => [k, i]));

function integrationOf(dependency: Dependency, failing: readonly Finding[]): PersonIntegration {
  const { type, id, name } = dependency.resource;
  const fails = failing.filter((f) => f.resource.type === type && f.resource.id === id);
  const severity = fails.reduce<Severity>(
    (worst, f) => (severityRank(f.severity) < severityRank(worst) ? f.severity : worst),
    'info',
  );
  return { type, id, name, ruleIds: [...new Set(fails.map((f) => f.ruleId))].sort(), severity };
}

function breaksOf(integrations: readonly PersonIntegration[]): Breaks {
  const breaks = Object.fromEntries(BREAK_SEVERITIES.map((s) => [s, 0])) as Breaks;
  for (const { severity } of integrations) if (severity in breaks) breaks[severity as keyof Breaks]++;
  return breaks;
}

function kindCounts(person: Person): number[] {
  return DEPENDENCY_KINDS.map((kind) => person.integrations.filter((i) => i.type === kind).length);
}

/** Most breaking first: severity counts, then how many integrations, then tokens, agents, Workflows, provisioning. */
export function comparePeople(a: Person, b: Person): number {
  const keys = (p: Person): number[] => [
    ...BREAK_SEVERITIES.map((s) => p.breaks[s]),
    p.integrations.length,
    ...kindCounts(p),
  ];
  const ka = keys(a);
  const kb = keys(b);
  for (let i = 0; i < ka.length; i++) if (ka[i] !== kb[i]) return kb[i] - ka[i];
  return (a.login ?? a.id).localeCompare(b.login ?? b.id);
}

function personOf(
  userId: string,
  owned: readonly Dependency[],
  inventory: Inventory,
  report: Report,
  options: PeopleOptions,
): Person {
  const scanned = report.findings.find((f) => f.owner?.id === userId)?.owner;
  const owner = scanned ?? classifyOwner(userId, inventory, options.config.serviceAccounts);
  const user = Object.hasOwn(inventory.users, userId) ? inventory.users[userId] : undefined;
  const failing = report.findings.filter((f) => f.status === 'FAIL');
  const integrations = owned
    .map((d) => integrationOf(d, failing))
    .sort(
      (a, b) =>
        severityRank(a.severity) - severityRank(b.severity) ||
        KIND_ORDER[a.type] - KIND_ORDER[b.type] ||
        a.name.localeCompare(b.name),
    );
  const leavers = options.config.leavers;
  const verdict = leavers && user ? leavingVerdict(user, leavers, options.now) : null;
  return {
    id: userId,
    login: owner.login ?? owned.find((d) => d.entity?.alternateId)?.entity?.alternateId ?? null,
    kind: owner.kind,
    status: owner.status,
    lastLogin: user?.lastLogin ?? null,
    leaving: verdict?.status === 'leaving' ? { reason: verdict.reason } : null,
    breaks: breaksOf(integrations),
    integrations,
  };
}

export function peopleReport(report: Report, inventory: Inventory, options: PeopleOptions): PeopleReport {
  const byUser = new Map<string, Dependency[]>();
  for (const dependency of dependencies(inventory)) {
    if (!dependency.userId) continue;
    byUser.set(dependency.userId, [...(byUser.get(dependency.userId) ?? []), dependency]);
  }
  const people = [...byUser.entries()]
    .map(([userId, owned]) => personOf(userId, owned, inventory, report, options))
    .sort(comparePeople);
  return {
    schemaVersion: 1,
    org: report.org,
    generatedAt: options.now.toISOString(),
    status: report.status,
    people,
  };
}

/** People holding more integrations than the threshold: a concentration risk of their own. */
export function concentrated(people: readonly Person[], threshold: number): Person[] {
  return people.filter((p) => p.integrations.length > threshold);
}
