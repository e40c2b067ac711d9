import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  BatchWriteCommand,
  type BatchWriteCommandInput,
  DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  type QueryCommandInput,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import type { Finding, Verdict } from '../domain/finding';
import { severityRank } from '../domain/finding';
import type {
  FindingChange,
  FindingHistoryEntry,
  FindingState,
  FindingStore,
  OpenFinding,
  ScanOutcome,
  ScanRecord,
} from '../domain/history';
import { ConfigError, ScanConflictError, ScannerError } from '../errors';
import {
  HISTORY_INDEX,
  keys,
  LOCK_SK,
  OPEN_PREFIX,
  RESOLVED_PREFIX,
  SCAN_FINDING_PREFIX,
  SCAN_META_SK,
  SCAN_RECORD_PREFIX,
  SECRET_ORG_SK,
  TTL_ATTRIBUTE,
} from './dynamo-keys';

export { HISTORY_INDEX, TABLE_KEY, TTL_ATTRIBUTE } from './dynamo-keys';

/*
 * Scan history: one table (pk, sk), on demand, one GSI, TTL on `expiresAt`.
 *
 * | access pattern                          | call                                                          |
 * |-----------------------------------------|---------------------------------------------------------------|
 * | latest scans of an org, newest first    | Query pk=ORG#<org>, sk begins_with SCAN#, reverse, Limit N    |
 * | all findings of one scan                | Query pk=SCAN#<scanId>, sk begins_with FINDING#               |
 * | open FAIL findings (firstSeen/lastSeen) | Query pk=ORG#<org>#STATE, sk begins_with OPEN#                |
 * | history of one finding, oldest first    | Query GSI history: hpk=ORG#<org>#FINDING#<id>                 |
 * | state a scan diffs against              | Query pk=ORG#<org>#STATE (open + resolved markers), paged     |
 *
 * | item          | pk                   | sk                           | hpk / hsk                          | TTL |
 * |---------------|----------------------|------------------------------|------------------------------------|-----|
 * | scan record   | ORG#<org>            | SCAN#<startedAt>#<scanId>    |                                    | yes |
 * | org lock      | ORG#<org>            | LOCK                         |                                    | no  |
 * | scan start    | SCAN#<scanId>        | META                         |                                    | yes |
 * | scan finding  | SCAN#<scanId>        | FINDING#<findingId>          | ORG#<org>#FINDING#<id> / <at>#<id> | yes |
 * | resolved gone | SCAN#<scanId>        | RESOLVED#<findingId>         | ORG#<org>#FINDING#<id> / <at>#<id> | yes |
 * | open finding  | ORG#<org>#STATE      | OPEN#<findingId>             |                                    | no  |
 * | resolved mark | ORG#<org>#STATE      | RESOLVED#<findingId>         |                                    | yes |
 * | secret's org  | SECRET#<arn or name> | ORG                          |                                    | no  |
 *
 * History is a GSI over the per-scan items rather than a second copy, so one write per finding
 * per scan serves both "findings of a scan" and "history of a finding" (the index is eventually
 * consistent: a history read right after a write may lag by a moment).
 *
 * The lock item (holder, lockExpiresAt, lastScanId, lastStartedAt) serialises writers per org:
 * a second scan gets ScanConflictError before it writes anything, a crashed holder's lock expires,
 * and a scan older than the last recorded one is refused so history never rolls back. Re-recording
 * the same scanId is idempotent: state items remember the scan and state that last wrote them.
 * Resolved markers expire with the history, so a finding back after the retention window is NEW.
 * `<at>` is the scan's first recorded startedAt (the META item), so startScan, recordScan and
 * recordFailure agree on one scan record even when their clocks differ by milliseconds.
 */

const BATCH_SIZE = 25;
const BATCH_CONCURRENCY = 4;
const DEFAULT_MAX_BATCH_ATTEMPTS = 8;
const BACKOFF_BASE_MS = 50;
const BACKOFF_CAP_MS = 3_200;
// A Lambda runs at most 15 minutes: a lock older than that belongs to a dead run.
const DEFAULT_LOCK_TTL_SECONDS = 900;
const MAX_REASON_LENGTH = 2_000;

export interface DynamoFindingStoreOptions {
  client: DynamoDBDocumentClient | DynamoDBClient;
  tableName: string;
  /** How long per-scan items, scan records and resolved markers are kept. */
  retentionDays: number;
  now?: () => Date;
  sleep?: (ms: number) => Promise<void>;
  /** Attempts per batch of 25 while DynamoDB returns UnprocessedItems (default 8). */
  maxBatchAttempts?: number;
  /** After this long a lock held by a silent scan counts as stale (default 900 s). */
  lockTtlSeconds?: number;
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

export interface PreviousFindingState {
  open: TrackedOpenFinding[];
  resolved: ResolvedFinding[];
}

interface PlannedChange {
  change: FindingChange;
  /** Failing in this scan: the open item is (re)written with this scan's lastSeen. */
  seen: boolean;
}

type Item = Record<string, unknown>;
type WriteRequest = NonNullable<BatchWriteCommandInput['RequestItems']>[string][number];

/**
 * How each finding changed since the previous state. Pure: the store's whole state logic, so it
 * can be tested without DynamoDB. `at` is the scan's start (default: the report's startedAt).
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
function dedupeFindings(findings: Finding[]): Map<string, Finding> {
  const byId = new Map<string, Finding>();
  for (const finding of findings) {
    const seen = byId.get(finding.id);
    if (!seen || VERDICT_WEIGHT[finding.status] > VERDICT_WEIGHT[seen.status]) byId.set(finding.id, finding);
  }
  return byId;
}

function planFindings(previous: PreviousFindingState, outcome: ScanOutcome, at: string): PlannedChange[] {
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

// By name: a caller's client may come from another copy of the SDK than this module's. Safe in the
// minified bundle: AWS SDK v3 exceptions set `name` from a string literal (name = "Conditional…"
// in @aws-sdk/client-dynamodb), not from the class name; test/bundle runs the built handler.
function isConditionalFailure(error: unknown): boolean {
  return (error as { name?: unknown } | null)?.name === 'ConditionalCheckFailedException';
}

/** Drops undefined values the way the JSON report does, so DynamoDB never sees them. */
function plain<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}

export class DynamoFindingStore implements FindingStore {
  private readonly doc: DynamoDBDocumentClient;
  private readonly tableName: string;
  private readonly retentionSeconds: number;
  private readonly now: () => Date;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly maxBatchAttempts: number;
  private readonly lockTtlMs: number;

  constructor(options: DynamoFindingStoreOptions) {
    if (!Number.isInteger(options.retentionDays) || options.retentionDays < 1) {
      throw new ConfigError('retentionDays must be a whole number of days, at least 1');
    }
    this.doc =
      options.client instanceof DynamoDBDocumentClient ? options.client : DynamoDBDocumentClient.from(options.client);
    this.tableName = options.tableName;
    this.retentionSeconds = options.retentionDays * 86_400;
    this.now = options.now ?? (() => new Date());
    this.sleep = options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
    this.maxBatchAttempts = options.maxBatchAttempts ?? DEFAULT_MAX_BATCH_ATTEMPTS;
    this.lockTtlMs = (options.lockTtlSeconds ?? DEFAULT_LOCK_TTL_SECONDS) * 1000;
  }

  async startScan(scan: { scanId: string; org: string; startedAt: string }): Promise<void> {
    const at = await this.scanStart(scan.scanId, scan.org, scan.startedAt);
    await this.acquireLock(scan.org, scan.scanId, at);
    try {
      await this.doc.send(
        new PutCommand({
          TableName: this.tableName,
          Item: this.scanRecordItem({
            scanId: scan.scanId,
            org: scan.org,
            startedAt: at,
            finishedAt: null,
            status: 'running',
            errors: [],
            summary: null,
          }),
          // A crashed or failed run may start again under its id; a recorded one may not.
          ConditionExpression: 'attribute_not_exists(pk) OR #status IN (:running, :failed)',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: { ':running': 'running', ':failed': 'failed' },
        }),
      );
    } catch (error) {
      if (!isConditionalFailure(error)) throw error;
      await this.releaseLock(scan.org, scan.scanId, null);
      throw new ScanConflictError(
        `Scan ${scan.scanId} of ${scan.org} was already recorded; a new scan needs a new scan id`,
        scan.org,
        scan.scanId,
        { cause: error },
      );
    }
  }

  async recordScan(outcome: ScanOutcome): Promise<FindingChange[]> {
    const { report } = outcome;
    const { scanId, org } = report;
    const at = await this.scanStart(scanId, org, report.startedAt);
    await this.acquireLock(org, scanId, at);

    const previous = await this.readState(org);
    const planned = planFindings(previous, outcome, at);
    const expiresAt = this.expiresAt();

    const stateOf = new Map<string, FindingState>();
    for (const p of planned) stateOf.set(p.change.finding.id, p.change.state);
    const scanItems: Item[] = [];
    for (const finding of dedupeFindings(report.findings).values()) {
      scanItems.push(this.scanFindingItem(org, scanId, at, finding, finding.status, stateOf.get(finding.id) ?? null));
    }
    const present = new Set(scanItems.map((i) => i.findingId));
    for (const p of planned) {
      // Resolved by absence: the history still needs an entry saying so.
      if (p.change.state === 'RESOLVED' && !present.has(p.change.finding.id)) {
        const item = this.scanFindingItem(org, scanId, at, p.change.finding, 'PASS', 'RESOLVED');
        scanItems.push({ ...item, sk: keys.scanResolvedSk(p.change.finding.id), absent: true });
      }
    }
    await this.batchWrite(scanItems.map((Item) => ({ PutRequest: { Item: { ...Item, [TTL_ATTRIBUTE]: expiresAt } } })));

    // Another run may have taken an expired lock while this one wrote its per-scan items.
    await this.acquireLock(org, scanId, at);
    const puts: WriteRequest[] = [];
    const deletes: WriteRequest[] = [];
    const statePk = keys.statePk(org);
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
        scanId,
      };
      if (change.state === 'RESOLVED') {
        puts.push({
          PutRequest: {
            Item: { ...base, sk: keys.resolvedSk(id), resolvedAt: at, [TTL_ATTRIBUTE]: expiresAt },
          },
        });
        deletes.push({ DeleteRequest: { Key: { pk: statePk, sk: keys.openSk(id) } } });
      } else if (seen) {
        puts.push({ PutRequest: { Item: { ...base, sk: keys.openSk(id), state: change.state } } });
        if (change.state === 'REGRESSED')
          deletes.push({ DeleteRequest: { Key: { pk: statePk, sk: keys.resolvedSk(id) } } });
      }
    }
    // Puts before deletes: a crash in between leaves a finding both open and resolved (open
    // wins on the next read), never neither.
    await this.batchWrite(puts);
    await this.batchWrite(deletes);

    await this.doc.send(
      new PutCommand({
        TableName: this.tableName,
        Item: this.scanRecordItem({
          scanId,
          org,
          startedAt: at,
          finishedAt: report.finishedAt,
          status: report.status,
          errors: report.errors,
          summary: report.summary,
        }),
      }),
    );
    await this.releaseLock(org, scanId, at);
    return planned.map((p) => p.change);
  }

  async recordFailure(scan: { scanId: string; org: string; startedAt: string }, reason: string): Promise<void> {
    const at = await this.scanStart(scan.scanId, scan.org, scan.startedAt);
    const record = this.scanRecordItem({
      scanId: scan.scanId,
      org: scan.org,
      startedAt: at,
      finishedAt: this.now().toISOString(),
      status: 'failed',
      errors: [],
      summary: null,
      failureReason: reason.slice(0, MAX_REASON_LENGTH),
    });
    await this.doc.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: { pk: record.pk, sk: record.sk },
        // Keeps what a recorded scan already wrote (errors, summary); marks it failed all the same.
        UpdateExpression:
          'SET #status = :status, failureReason = :reason, finishedAt = :finishedAt, scanId = :scanId, ' +
          'org = :org, startedAt = :startedAt, #errors = if_not_exists(#errors, :errors), ' +
          'summary = if_not_exists(summary, :summary), #ttl = :ttl',
        ExpressionAttributeNames: { '#status': 'status', '#errors': 'errors', '#ttl': TTL_ATTRIBUTE },
        ExpressionAttributeValues: {
          ':status': 'failed',
          ':reason': record.failureReason,
          ':finishedAt': record.finishedAt,
          ':scanId': scan.scanId,
          ':org': scan.org,
          ':startedAt': at,
          ':errors': [],
          ':summary': null,
          ':ttl': record[TTL_ATTRIBUTE],
        },
      }),
    );
    await this.releaseLock(scan.org, scan.scanId, null);
  }

  async rememberSecretOrg(secret: string, org: string): Promise<void> {
    await this.doc.send(
      new PutCommand({
        TableName: this.tableName,
        Item: { pk: keys.secretPk(secret), sk: SECRET_ORG_SK, org, at: this.now().toISOString() },
      }),
    );
  }

  async secretOrg(secret: string): Promise<string | null> {
    const { Item } = await this.doc.send(
      new GetCommand({
        TableName: this.tableName,
        Key: { pk: keys.secretPk(secret), sk: SECRET_ORG_SK },
        ConsistentRead: true,
      }),
    );
    return typeof Item?.org === 'string' ? Item.org : null;
  }

  async latestScans(org: string, limit = 10): Promise<ScanRecord[]> {
    const items = await this.queryAll(
      {
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
        ExpressionAttributeValues: { ':pk': keys.orgPk(org), ':prefix': SCAN_RECORD_PREFIX },
        ScanIndexForward: false,
        Limit: limit,
        ...this.notExpired(),
      },
      limit,
    );
    return items.map((i) => ({
      scanId: i.scanId as string,
      org: i.org as string,
      startedAt: i.startedAt as string,
      finishedAt: (i.finishedAt as string | null) ?? null,
      status: i.status as ScanRecord['status'],
      errors: (i.errors as ScanRecord['errors']) ?? [],
      summary: (i.summary as ScanRecord['summary']) ?? null,
      ...(typeof i.failureReason === 'string' ? { failureReason: i.failureReason } : {}),
    }));
  }

  async scanFindings(scanId: string): Promise<Finding[]> {
    const items = await this.queryAll({
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
      ExpressionAttributeValues: { ':pk': keys.scanPk(scanId), ':prefix': SCAN_FINDING_PREFIX },
      ...this.notExpired(),
    });
    return items.map((i) => JSON.parse(i.finding as string) as Finding);
  }

  async openFindings(org: string): Promise<OpenFinding[]> {
    const items = await this.queryAll({
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
      ExpressionAttributeValues: { ':pk': keys.statePk(org), ':prefix': OPEN_PREFIX },
      ConsistentRead: true,
    });
    return items.map((i) => ({
      finding: JSON.parse(i.finding as string) as Finding,
      firstSeen: i.firstSeen as string,
      lastSeen: i.lastSeen as string,
    }));
  }

  async findingHistory(org: string, findingId: string): Promise<FindingHistoryEntry[]> {
    const items = await this.queryAll({
      IndexName: HISTORY_INDEX.indexName,
      KeyConditionExpression: '#hpk = :hpk',
      ExpressionAttributeValues: { ':hpk': keys.historyPk(org, findingId) },
      ...this.notExpired({ '#hpk': HISTORY_INDEX.partitionKey }),
    });
    return items.map((i) => ({
      scanId: i.scanId as string,
      at: i.at as string,
      status: i.status as Verdict,
      state: (i.state as FindingState | null) ?? null,
    }));
  }

  /** The scan's canonical start: the first one any call recorded for this scan id. */
  private async scanStart(scanId: string, org: string, startedAt: string): Promise<string> {
    const result = await this.doc.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: { pk: keys.scanPk(scanId), sk: SCAN_META_SK },
        UpdateExpression:
          'SET startedAt = if_not_exists(startedAt, :startedAt), org = if_not_exists(org, :org), #ttl = :ttl',
        ExpressionAttributeNames: { '#ttl': TTL_ATTRIBUTE },
        ExpressionAttributeValues: { ':startedAt': startedAt, ':org': org, ':ttl': this.expiresAt() },
        ReturnValues: 'ALL_NEW',
      }),
    );
    return (result.Attributes?.startedAt as string | undefined) ?? startedAt;
  }

  private async acquireLock(org: string, scanId: string, startedAt: string): Promise<void> {
    const now = this.now().getTime();
    try {
      await this.doc.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: { pk: keys.orgPk(org), sk: LOCK_SK },
          UpdateExpression: 'SET holder = :scanId, holderStartedAt = :startedAt, lockExpiresAt = :expires',
          ConditionExpression:
            '(attribute_not_exists(holder) OR holder = :scanId OR lockExpiresAt < :now) AND ' +
            '(attribute_not_exists(lastStartedAt) OR lastStartedAt <= :startedAt OR lastScanId = :scanId)',
          ExpressionAttributeValues: {
            ':scanId': scanId,
            ':startedAt': startedAt,
            ':expires': now + this.lockTtlMs,
            ':now': now,
          },
        }),
      );
    } catch (error) {
      if (!isConditionalFailure(error)) throw error;
      throw await this.conflict(org, scanId, error);
    }
  }

  /** Says why the lock was refused (dynalite ignores ReturnValuesOnConditionCheckFailure). */
  private async conflict(org: string, scanId: string, cause: unknown): Promise<ScanConflictError> {
    const lock = (
      await this.doc.send(
        new GetCommand({ TableName: this.tableName, Key: { pk: keys.orgPk(org), sk: LOCK_SK }, ConsistentRead: true }),
      )
    ).Item;
    const holder = lock?.holder as string | undefined;
    const message =
      holder && holder !== scanId
        ? `Another scan (${holder}) of ${org} is recording history until ${new Date(lock?.lockExpiresAt as number).toISOString()}; scan ${scanId} was refused and none of its findings were written`
        : `A newer scan (${lock?.lastScanId}, started ${lock?.lastStartedAt}) of ${org} is already recorded; scan ${scanId} was refused so history does not go back in time`;
    return new ScanConflictError(message, org, scanId, { cause });
  }

  /** Frees the lock if this scan holds it; `recordedAt` also marks the scan as the latest recorded. */
  private async releaseLock(org: string, scanId: string, recordedAt: string | null): Promise<void> {
    try {
      await this.doc.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: { pk: keys.orgPk(org), sk: LOCK_SK },
          UpdateExpression:
            (recordedAt ? 'SET lastScanId = :scanId, lastStartedAt = :recordedAt ' : '') +
            'REMOVE holder, holderStartedAt, lockExpiresAt',
          ConditionExpression: 'holder = :scanId',
          ExpressionAttributeValues: { ':scanId': scanId, ...(recordedAt ? { ':recordedAt': recordedAt } : {}) },
        }),
      );
    } catch (error) {
      if (!isConditionalFailure(error)) throw error;
      // Not ours (any more): a scan refused at the lock, or one whose stale lock was taken over.
      if (recordedAt) throw await this.conflict(org, scanId, error);
    }
  }

  private async readState(org: string): Promise<PreviousFindingState> {
    const items = await this.queryAll({
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': keys.statePk(org) },
      ConsistentRead: true,
    });
    const nowSeconds = this.nowSeconds();
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

  private scanFindingItem(
    org: string,
    scanId: string,
    at: string,
    finding: Finding,
    status: Verdict,
    state: FindingState | null,
  ): Item {
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
    };
  }

  private scanRecordItem(record: ScanRecord): Item {
    return {
      pk: keys.orgPk(record.org),
      sk: keys.scanRecordSk(record.startedAt, record.scanId),
      ...plain(record),
      [TTL_ATTRIBUTE]: this.expiresAt(),
    };
  }

  private nowSeconds(): number {
    return Math.floor(this.now().getTime() / 1000);
  }

  private expiresAt(): number {
    return this.nowSeconds() + this.retentionSeconds;
  }

  /** dynalite (and DynamoDB for up to a few days) keeps expired items: never return them. */
  private notExpired(
    names: Record<string, string> = {},
  ): Pick<QueryCommandInput, 'FilterExpression' | 'ExpressionAttributeNames'> & { values: Item } {
    return {
      FilterExpression: 'attribute_not_exists(#ttl) OR #ttl > :nowSeconds',
      ExpressionAttributeNames: { ...names, '#ttl': TTL_ATTRIBUTE },
      values: { ':nowSeconds': this.nowSeconds() },
    };
  }

  private async queryAll(
    input: Omit<QueryCommandInput, 'TableName'> & { values?: Item },
    stopAfter = Number.POSITIVE_INFINITY,
  ): Promise<Item[]> {
    const { values, ...query } = input;
    const items: Item[] = [];
    let startKey: Item | undefined;
    do {
      const page = await this.doc.send(
        new QueryCommand({
          ...query,
          TableName: this.tableName,
          ExpressionAttributeValues: { ...query.ExpressionAttributeValues, ...values },
          ExclusiveStartKey: startKey,
        }),
      );
      items.push(...(page.Items ?? []));
      startKey = page.LastEvaluatedKey;
    } while (startKey && items.length < stopAfter);
    return items.slice(0, stopAfter);
  }

  private async batchWrite(requests: WriteRequest[]): Promise<void> {
    const chunks: WriteRequest[][] = [];
    for (let i = 0; i < requests.length; i += BATCH_SIZE) chunks.push(requests.slice(i, i + BATCH_SIZE));
    let next = 0;
    let failed = false;
    // Once one chunk gives up, the others stop taking new chunks: no write may land after the
    // scan has been reported as not recorded (in Lambda, it would land in the next invocation).
    const worker = async (): Promise<void> => {
      try {
        while (!failed && next < chunks.length) await this.writeChunk(chunks[next++]);
      } catch (error) {
        failed = true;
        throw error;
      }
    };
    // allSettled: return only once no worker is still writing, whatever happened.
    const outcomes = await Promise.allSettled(
      Array.from({ length: Math.min(BATCH_CONCURRENCY, chunks.length) }, worker),
    );
    const failure = outcomes.find((outcome) => outcome.status === 'rejected');
    if (failure) throw failure.reason;
  }

  /** One BatchWrite of up to 25, re-sending what DynamoDB left unprocessed with capped backoff. */
  private async writeChunk(chunk: WriteRequest[]): Promise<void> {
    let pending = chunk;
    for (let attempt = 1; ; attempt++) {
      const result = await this.doc.send(new BatchWriteCommand({ RequestItems: { [this.tableName]: pending } }));
      pending = result.UnprocessedItems?.[this.tableName] ?? [];
      if (pending.length === 0) return;
      if (attempt >= this.maxBatchAttempts) {
        throw new ScannerError(
          `DynamoDB left ${pending.length} of ${chunk.length} scan-history writes unprocessed after ${attempt} attempts ` +
            `(table ${this.tableName} throttled?); the scan was not recorded completely and can be recorded again`,
        );
      }
      await this.sleep(Math.min(BACKOFF_CAP_MS, BACKOFF_BASE_MS * 2 ** (attempt - 1)));
    }
  }
}
