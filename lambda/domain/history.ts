import type { Finding, Report } from './finding';

// Scan history: what a store records and what the notifier announces.

/** A finding's state across scans. */
export type FindingState = 'NEW' | 'ONGOING' | 'REGRESSED' | 'RESOLVED';

export interface FindingChange {
  state: FindingState;
  /** For RESOLVED, the finding as it was when last seen failing. */
  finding: Finding;
  firstSeen: string;
  lastSeen: string;
}

/** A new or regressed FAIL: what a person has to act on. */
export function isViolation(change: FindingChange): boolean {
  return (change.state === 'NEW' || change.state === 'REGRESSED') && change.finding.status === 'FAIL';
}

/** What a finished scan hands to the store: the report plus which rules were fully evaluated. */
export interface ScanOutcome {
  report: Report;
  /** Rules that ran in this scan. */
  rulesRun: string[];
  /**
   * Rules that ran with every source they need read completely. Only these may resolve a
   * finding that is absent from this scan: what was not seen is never reported as resolved.
   */
  completeRules: string[];
}

export interface ScanRecord {
  scanId: string;
  org: string;
  startedAt: string;
  finishedAt: string | null;
  status: 'running' | 'complete' | 'incomplete' | 'failed';
  errors: Report['errors'];
  summary: Report['summary'] | null;
  failureReason?: string;
}

export interface FindingHistoryEntry {
  scanId: string;
  at: string;
  status: Finding['status'];
  state: FindingState | null;
}

export interface OpenFinding {
  finding: Finding;
  firstSeen: string;
  lastSeen: string;
}

/** The scan history port. The DynamoDB adapter is given its client and table name. */
export interface FindingStore {
  /** Marks a scan as started, so a crash still leaves a record. */
  startScan(scan: { scanId: string; org: string; startedAt: string }): Promise<void>;
  /** Records a finished scan and returns how each finding changed since the last one. */
  recordScan(outcome: ScanOutcome): Promise<FindingChange[]>;
  /** Records that a scan failed, and why (no secret in `reason`). */
  recordFailure(scan: { scanId: string; org: string; startedAt: string }, reason: string): Promise<void>;
  /** Remembers which org a secret (its ARN or name) pointed at, written with each recorded scan. */
  rememberSecretOrg(secret: string, org: string): Promise<void>;
  /** The org a secret last pointed at, or null when no scan has read it yet. */
  secretOrg(secret: string): Promise<string | null>;
  latestScans(org: string, limit?: number): Promise<ScanRecord[]>;
  scanFindings(scanId: string): Promise<Finding[]>;
  openFindings(org: string): Promise<OpenFinding[]>;
  findingHistory(org: string, findingId: string): Promise<FindingHistoryEntry[]>;
}

/** An open finding as stored, with the scan and state that last wrote it (for idempotent re-runs). */
export interface TrackedOpenFinding extends OpenFinding {
  scanId?: string;
  state?: FindingState;
}

/** A finding that was open and then resolved; kept to tell REGRESSED from NEW. */
export interface ResolvedFinding {
  finding: Finding;
  firstSeen: string;
  lastSeen: string;
  resolvedAt: string;
  scanId?: string;
}

/** What a store holds before a scan is recorded: the state the scan is compared with. */
export interface PreviousFindingState {
  open: TrackedOpenFinding[];
  resolved: ResolvedFinding[];
}
