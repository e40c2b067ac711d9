import type { Finding, Verdict } from '../../domain/finding';
import type { FindingState, PreviousFindingState, ScanRecord } from '../../domain/history';
import type { PlannedChange } from '../../domain/history-plan';
import { HISTORY_INDEX, keys, OPEN_PREFIX, RESOLVED_PREFIX, TTL_ATTRIBUTE } from '../dynamo-keys';
import type { WriteRequest } from './batch-writer';

// How the history maps onto table items (the key layout is described in dynamo-store.ts): pure
// functions from the domain's values to items and back.

export type Item = Record<string, unknown>;

/** Where one scan's items sit, and when they expire (epoch seconds). */
export interface ScanPlace {
  org: string;
  scanId: string;
  /** The scan's canonical start. */
  at: string;
  expiresAt: number;
}

/** Drops undefined values the way the JSON report does, so DynamoDB never sees them. */
export function withoutUndefined<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}

function scanFindingItem(place: ScanPlace, finding: Finding, status: Verdict, state: FindingState | null): Item {
  const { org, scanId, at } = place;
  return {
    pk: keys.scanPk(scanId),
    sk: keys.scanFindingSk(finding.id),
    [HISTORY_INDEX.partitionKey]: keys.historyPk(org, finding.id),
    [HISTORY_INDEX.sortKey]: keys.historySk(at, scanId),
    scanId,
    org,
    at,
    findingId: finding.id,
    ruleId: finding.ruleId,
    severity: finding.severity,
    status,
    state,
    finding: JSON.stringify(finding),
    [TTL_ATTRIBUTE]: place.expiresAt,
  };
}

/** The scan's per-finding items: every finding it reported, and each it resolved by absence. */
export function scanFindingPuts(
  place: ScanPlace,
  findings: Iterable<Finding>,
  planned: readonly PlannedChange[],
): WriteRequest[] {
  const stateOf = new Map(planned.map((p) => [p.change.finding.id, p.change.state]));
  const items: Item[] = [];
  const present = new Set<string>();
  for (const finding of findings) {
    items.push(scanFindingItem(place, finding, finding.status, stateOf.get(finding.id) ?? null));
    present.add(finding.id);
  }
  for (const { change } of planned) {
    // Resolved by absence: the history still needs an entry saying so.
    if (change.state === 'RESOLVED' && !present.has(change.finding.id)) {
      const item = scanFindingItem(place, change.finding, 'PASS', 'RESOLVED');
      items.push({ ...item, sk: keys.scanResolvedSk(change.finding.id), absent: true });
    }
  }
  return items.map((Item) => ({ PutRequest: { Item } }));
}

/** The org's state after the scan: open items (re)written, resolved markers put, stale ones deleted. */
export function stateWrites(
  place: ScanPlace,
  planned: readonly PlannedChange[],
): { puts: WriteRequest[]; deletes: WriteRequest[] } {
  const puts: WriteRequest[] = [];
  const deletes: WriteRequest[] = [];
  const statePk = keys.statePk(place.org);
  for (const { change, seen } of planned) {
    const id = change.finding.id;
    const base = {
      pk: statePk,
      findingId: id,
      ruleId: change.finding.ruleId,
      severity: change.finding.severity,
      finding: JSON.stringify(change.finding),
      firstSeen: change.firstSeen,
      lastSeen: change.lastSeen,
      scanId: place.scanId,
    };
    if (change.state === 'RESOLVED') {
      const marker = { ...base, sk: keys.resolvedSk(id), resolvedAt: place.at, [TTL_ATTRIBUTE]: place.expiresAt };
      puts.push({ PutRequest: { Item: marker } });
      deletes.push({ DeleteRequest: { Key: { pk: statePk, sk: keys.openSk(id) } } });
    } else if (seen) {
      puts.push({ PutRequest: { Item: { ...base, sk: keys.openSk(id), state: change.state } } });
      if (change.state === 'REGRESSED') {
        deletes.push({ DeleteRequest: { Key: { pk: statePk, sk: keys.resolvedSk(id) } } });
      }
    }
  }
  return { puts, deletes };
}

export function scanRecordItem(record: ScanRecord, expiresAt: number): Item {
  return {
    pk: keys.orgPk(record.org),
    sk: keys.scanRecordSk(record.startedAt, record.scanId),
    ...withoutUndefined(record),
    [TTL_ATTRIBUTE]: expiresAt,
  };
}

/** The org's state items as the planner takes them; resolved markers past their TTL are gone. */
export function previousState(items: readonly Item[], nowSeconds: number): PreviousFindingState {
  const state: PreviousFindingState = { open: [], resolved: [] };
  for (const i of items) {
    const sk = i.sk as string;
    const finding = JSON.parse(i.finding as string) as Finding;
    const common = { finding, firstSeen: i.firstSeen as string, lastSeen: i.lastSeen as string };
    if (sk.startsWith(OPEN_PREFIX)) {
      state.open.push({ ...common, scanId: i.scanId as string, state: i.state as FindingState });
    } else if (sk.startsWith(RESOLVED_PREFIX) && (i[TTL_ATTRIBUTE] as number) > nowSeconds) {
      state.resolved.push({ ...common, resolvedAt: i.resolvedAt as string, scanId: i.scanId as string });
    }
  }
  return state;
}
