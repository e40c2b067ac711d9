import { type Finding, severityRank, type Verdict } from './finding';
import type {
  FindingChange,
  FindingState,
  OpenFinding,
  PreviousFindingState,
  ScanOutcome,
  TrackedOpenFinding,
} from './history';

// The state machine of a finding across scans (NEW, ONGOING, REGRESSED, RESOLVED), as the
// README describes it. What was not seen is never reported as resolved.

/** One finding's change, and whether this scan saw it failing. */
export interface PlannedChange {
  change: FindingChange;
  /** Failing in this scan: the open item is (re)written with this scan's lastSeen. */
  seen: boolean;
}

/**
 * How each finding changed since the previous state. Pure: the whole state logic of a history
 * store (DynamoDB, or a local file), so every store agrees and it can be tested without one.
 * `at` is the scan's start (default: the report's startedAt).
 *
 * - FAIL: NEW (never seen), ONGOING (already open), REGRESSED (resolved before).
 * - RESOLVED: an open finding that passes now, or is absent while its rule ran completely.
 * - ONGOING with the old lastSeen: an open finding this scan could not see (UNKNOWN, or absent
 *   while its rule was incomplete or did not run). It stays open.
 * - SUPPRESSED: an open finding stays open and is not reported (the user accepted it).
 */
export function diffFindings(previous: PreviousFindingState, outcome: ScanOutcome, at?: string): FindingChange[] {
  return planFindings(previous, outcome, at ?? outcome.report.startedAt).map((p) => p.change);
}

const VERDICT_WEIGHT: Record<Verdict, number> = { FAIL: 3, UNKNOWN: 2, SUPPRESSED: 1, PASS: 0 };

/** One finding per id; should a rule ever emit an id twice, the worst verdict wins. */
export function dedupeFindings(findings: Finding[]): Map<string, Finding> {
  const byId = new Map<string, Finding>();
  for (const finding of findings) {
    const seen = byId.get(finding.id);
    if (!seen || VERDICT_WEIGHT[finding.status] > VERDICT_WEIGHT[seen.status]) byId.set(finding.id, finding);
  }
  return byId;
}

/**
 * The changes of `diffFindings`, each marked with whether the scan saw the finding failing (what
 * a store must write as open), most severe first.
 */
export function planFindings(previous: PreviousFindingState, outcome: ScanOutcome, at: string): PlannedChange[] {
  const scanId = outcome.report.scanId;
  const current = dedupeFindings(outcome.report.findings);
  const complete = new Set(outcome.completeRules);
  const open = new Map(previous.open.map((o) => [o.finding.id, o]));
  // An item both open and resolved (a run that crashed between its writes): open wins.
  const resolved = new Map(previous.resolved.filter((r) => !open.has(r.finding.id)).map((r) => [r.finding.id, r]));
  const planned: PlannedChange[] = [];
  const stillOpen = (o: TrackedOpenFinding): PlannedChange => ({
    change: { state: 'ONGOING', finding: o.finding, firstSeen: o.firstSeen, lastSeen: o.lastSeen },
    seen: false,
  });
  const resolve = (o: OpenFinding): PlannedChange => ({
    change: { state: 'RESOLVED', finding: o.finding, firstSeen: o.firstSeen, lastSeen: o.lastSeen },
    seen: false,
  });

  for (const finding of current.values()) {
    const o = open.get(finding.id);
    const r = resolved.get(finding.id);
    if (finding.status === 'FAIL') {
      let state: FindingState;
      let firstSeen = at;
      if (o) {
        // Re-recording the same scan keeps the state that scan first computed.
        state = o.scanId === scanId && o.state ? o.state : 'ONGOING';
        firstSeen = o.firstSeen;
      } else if (r) {
        state = 'REGRESSED';
        firstSeen = r.firstSeen;
      } else {
        state = 'NEW';
      }
      planned.push({ change: { state, finding, firstSeen, lastSeen: at }, seen: true });
    } else if (finding.status === 'PASS') {
      if (o) planned.push(resolve(o));
      else if (r && r.scanId === scanId) planned.push(resolve(r));
    } else if (finding.status === 'UNKNOWN') {
      if (o) planned.push(stillOpen(o));
    }
  }
  for (const o of open.values()) {
    if (current.has(o.finding.id)) continue;
    planned.push(complete.has(o.finding.ruleId) ? resolve(o) : stillOpen(o));
  }
  for (const r of resolved.values()) {
    if (!current.has(r.finding.id) && r.scanId === scanId) planned.push(resolve(r));
  }
  return planned.sort(
    (a, b) =>
      severityRank(a.change.finding.severity) - severityRank(b.change.finding.severity) ||
      a.change.finding.id.localeCompare(b.change.finding.id),
  );
}

/**
 * The state after a scan, as a store that keeps it whole (the CLI's local files) writes it: what
 * the DynamoDB store's puts and deletes do item by item. Seen FAILs are (re)opened, resolved
 * ones leave the open list for the resolved one, and what the scan could not see stays as it was.
 */
export function applyPlan(
  previous: PreviousFindingState,
  planned: readonly PlannedChange[],
  at: string,
  scanId: string,
): PreviousFindingState {
  const open = new Map(previous.open.map((o) => [o.finding.id, o]));
  const resolved = new Map(previous.resolved.map((r) => [r.finding.id, r]));
  for (const { change, seen } of planned) {
    const id = change.finding.id;
    const base = { finding: change.finding, firstSeen: change.firstSeen, lastSeen: change.lastSeen, scanId };
    if (change.state === 'RESOLVED') {
      open.delete(id);
      resolved.set(id, { ...base, resolvedAt: at });
    } else if (seen) {
      open.set(id, { ...base, state: change.state });
      resolved.delete(id);
    }
  }
  return { open: [...open.values()], resolved: [...resolved.values()] };
}
