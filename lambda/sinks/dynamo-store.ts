import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  type QueryCommandInput,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import type { Finding, Verdict } from '../domain/finding';
import type {
  FindingChange,
  FindingHistoryEntry,
  FindingState,
  FindingStore,
  OpenFinding,
  PreviousFindingState,
  ScanOutcome,
  ScanRecord,
} from '../domain/history';
import { dedupeFindings, planFindings } from '../domain/history-plan';
import type { LedgerState, LedgerStore, LedgerUpdate } from '../domain/ledger';
import { ConfigError, ScanConflictError } from '../errors';
import { BatchWriter } from './dynamo/batch-writer';
import { isConditionalFailure } from './dynamo/conditional-failure';
import { type Item, previousState, scanFindingPuts, scanRecordItem, stateWrites } from './dynamo/items';
import { DynamoLedger } from './dynamo/ledger-items';
import { ScanLock } from './dynamo/scan-lock';
import {
  HISTORY_INDEX,
  keys,
  OPEN_PREFIX,
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
 * | the org's ledger and log cursor         | Query pk=ORG#<org>#LEDGER, paged, consistent                  |
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
 * | ledger entry  | ORG#<org>#LEDGER     | ENTRY#<stream>#<event uuid>  |                                    | failure events only |
 * | log cursor    | ORG#<org>#LEDGER     | CURSOR                       |                                    | no  |
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
 * Ledger entries are put by uuid (idempotent) and the cursor only moves forward (a conditional
 * update), written after the entries: see dynamo/ledger-items.ts.
 */

const DEFAULT_MAX_BATCH_ATTEMPTS = 8;
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

export class DynamoFindingStore implements FindingStore, LedgerStore {
  private readonly doc: DynamoDBDocumentClient;
  private readonly tableName: string;
  private readonly retentionSeconds: number;
  private readonly now: () => Date;
  private readonly lock: ScanLock;
  private readonly writer: BatchWriter;
  private readonly ledger: DynamoLedger;

  constructor(options: DynamoFindingStoreOptions) {
    if (!Number.isInteger(options.retentionDays) || options.retentionDays < 1) {
      throw new ConfigError('retentionDays must be a whole number of days, at least 1');
    }
    this.doc =
      options.client instanceof DynamoDBDocumentClient ? options.client : DynamoDBDocumentClient.from(options.client);
    this.tableName = options.tableName;
    this.retentionSeconds = options.retentionDays * 86_400;
    this.now = options.now ?? (() => new Date());
    const { doc, tableName, now } = this;
    this.lock = new ScanLock({
      doc,
      tableName,
      now,
      ttlMs: (options.lockTtlSeconds ?? DEFAULT_LOCK_TTL_SECONDS) * 1000,
    });
    this.writer = new BatchWriter({
      doc,
      tableName,
      maxAttempts: options.maxBatchAttempts ?? DEFAULT_MAX_BATCH_ATTEMPTS,
      sleep: options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms))),
    });
    this.ledger = new DynamoLedger({ doc, tableName, writer: this.writer });
  }

  loadLedger(org: string): Promise<LedgerState> {
    return this.ledger.loadLedger(org);
  }

  saveLedger(org: string, update: LedgerUpdate): Promise<void> {
    return this.ledger.saveLedger(org, update);
  }

  async startScan(scan: { scanId: string; org: string; startedAt: string }): Promise<void> {
    const at = await this.scanStart(scan.scanId, scan.org, scan.startedAt);
    await this.lock.acquire(scan.org, scan.scanId, at);
    try {
      await this.doc.send(
        new PutCommand({
          TableName: this.tableName,
          Item: scanRecordItem(
            {
              scanId: scan.scanId,
              org: scan.org,
              startedAt: at,
              finishedAt: null,
              status: 'running',
              errors: [],
              summary: null,
            },
            this.expiresAt(),
          ),
          // A crashed or failed run may start again under its id; a recorded one may not.
          ConditionExpression: 'attribute_not_exists(pk) OR #status IN (:running, :failed)',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: { ':running': 'running', ':failed': 'failed' },
        }),
      );
    } catch (error) {
      if (!isConditionalFailure(error)) throw error;
      await this.lock.release(scan.org, scan.scanId, null);
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
    await this.lock.acquire(org, scanId, at);
    const planned = planFindings(await this.readState(org), outcome, at);
    const place = { org, scanId, at, expiresAt: this.expiresAt() };
    await this.writer.write(scanFindingPuts(place, dedupeFindings(report.findings).values(), planned));

    // Another run may have taken an expired lock while this one wrote its per-scan items.
    await this.lock.acquire(org, scanId, at);
    const { puts, deletes } = stateWrites(place, planned);
    // Puts before deletes: a crash in between leaves a finding both open and resolved (open
    // wins on the next read), never neither.
    await this.writer.write(puts);
    await this.writer.write(deletes);

    const { finishedAt, status, errors, summary } = report;
    const record: ScanRecord = { scanId, org, startedAt: at, finishedAt, status, errors, summary };
    await this.doc.send(new PutCommand({ TableName: this.tableName, Item: scanRecordItem(record, this.expiresAt()) }));
    await this.lock.release(org, scanId, at);
    return planned.map((p) => p.change);
  }

  async recordFailure(scan: { scanId: string; org: string; startedAt: string }, reason: string): Promise<void> {
    const at = await this.scanStart(scan.scanId, scan.org, scan.startedAt);
    const record = scanRecordItem(
      {
        scanId: scan.scanId,
        org: scan.org,
        startedAt: at,
        finishedAt: this.now().toISOString(),
        status: 'failed',
        errors: [],
        summary: null,
        failureReason: reason.slice(0, MAX_REASON_LENGTH),
      },
      this.expiresAt(),
    );
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
    await this.lock.release(scan.org, scan.scanId, null);
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

  private async readState(org: string): Promise<PreviousFindingState> {
    const items = await this.queryAll({
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': keys.statePk(org) },
      ConsistentRead: true,
    });
    return previousState(items, this.nowSeconds());
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
}
