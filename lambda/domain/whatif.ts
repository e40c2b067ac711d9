import type { FindingOwner, Report, ResourceRef, ScanError, Severity } from './finding';

// "What breaks if this user is deactivated?": the answer's shape, which the report writers render.

export interface WhatIfImpact {
  resource: ResourceRef;
  /** Rules with a finding on this resource in the scan (or that would judge it, when none ran). */
  ruleIds: string[];
  /** What breaks. */
  what: string;
  /** What to do first. */
  firstStep: string;
  severity: Severity;
}

export interface WhatIfAnswer {
  user: Pick<FindingOwner, 'id' | 'login' | 'status' | 'kind' | 'signals'> | null;
  found: boolean;
  impacts: WhatIfImpact[];
}

/** A what-if answer with the scan context a reader needs to trust it. */
export interface WhatIfReport extends WhatIfAnswer {
  schemaVersion: 1;
  org: string;
  /** The id or login that was asked about. */
  query: string;
  evaluatedAt: string;
  status: Report['status'];
  errors: ScanError[];
}
