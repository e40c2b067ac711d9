// "Whose leaving breaks what": the people view's shape (interfaces.md, People), which the
// people writers render.
import type { DependencyKind } from './dependencies';
import type { OwnerKind, ScanStatus, Severity } from './finding';

/** Severities a person's integrations are counted by (an integration with no failing rule is not counted). */
export const BREAK_SEVERITIES = ['critical', 'high', 'medium', 'low'] as const;
export type Breaks = Record<(typeof BREAK_SEVERITIES)[number], number>;

export interface PersonIntegration {
  type: DependencyKind;
  id: string;
  name: string;
  /** The rules that FAIL on this integration in the scan. */
  ruleIds: string[];
  /** The most severe of those; `info` when none fails. */
  severity: Severity;
}

export interface Person {
  id: string;
  login: string | null;
  kind: OwnerKind;
  status: string | null;
  lastLogin: string | null;
  /** Why the account is leaving (`group Leavers`, `terminationDate 2026-12-04`), or null. */
  leaving: { reason: string } | null;
  breaks: Breaks;
  integrations: PersonIntegration[];
}

export interface PeopleReport {
  schemaVersion: 1;
  org: string;
  generatedAt: string;
  status: ScanStatus;
  /** Most breaking first: by critical, high, medium, low counts, then integrations, then kind. */
  people: Person[];
}
