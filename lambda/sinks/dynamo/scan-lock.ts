import { type DynamoDBDocumentClient, GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { ScanConflictError } from '../../errors';
import { keys, LOCK_SK } from '../dynamo-keys';
import { isConditionalFailure } from './conditional-failure';

// The per-org lock item (holder, lockExpiresAt, lastScanId, lastStartedAt) serialises writers:
// a second scan gets ScanConflictError before it writes anything, a crashed holder's lock
// expires, and a scan older than the last recorded one is refused so history never rolls back.

export interface ScanLockOptions {
  doc: DynamoDBDocumentClient;
  tableName: string;
  /** After this long a lock held by a silent scan counts as stale. */
  ttlMs: number;
  now: () => Date;
}

export class ScanLock {
  constructor(private readonly options: ScanLockOptions) {}

  /** Takes (or renews) the org's lock for this scan; throws ScanConflictError when it may not. */
  async acquire(org: string, scanId: string, startedAt: string): Promise<void> {
    const { doc, tableName, ttlMs } = this.options;
    const now = this.options.now().getTime();
    try {
      await doc.send(
        new UpdateCommand({
          TableName: tableName,
          Key: { pk: keys.orgPk(org), sk: LOCK_SK },
          UpdateExpression: 'SET holder = :scanId, holderStartedAt = :startedAt, lockExpiresAt = :expires',
          ConditionExpression:
            '(attribute_not_exists(holder) OR holder = :scanId OR lockExpiresAt < :now) AND ' +
            '(attribute_not_exists(lastStartedAt) OR lastStartedAt <= :startedAt OR lastScanId = :scanId)',
          ExpressionAttributeValues: {
            ':scanId': scanId,
            ':startedAt': startedAt,
            ':expires': now + ttlMs,
            ':now': now,
          },
        }),
      );
    } catch (error) {
      if (!isConditionalFailure(error)) throw error;
      throw await this.conflict(org, scanId, error);
    }
  }

  /** Frees the lock if this scan holds it; `recordedAt` also marks the scan as the latest recorded. */
  async release(org: string, scanId: string, recordedAt: string | null): Promise<void> {
    try {
      await this.options.doc.send(
        new UpdateCommand({
          TableName: this.options.tableName,
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

  /** Says why the lock was refused (dynalite ignores ReturnValuesOnConditionCheckFailure). */
  private async conflict(org: string, scanId: string, cause: unknown): Promise<ScanConflictError> {
    const { doc, tableName } = this.options;
    const lock = (
      await doc.send(
        new GetCommand({ TableName: tableName, Key: { pk: keys.orgPk(org), sk: LOCK_SK }, ConsistentRead: true }),
      )
    ).Item;
    const holder = lock?.holder as string | undefined;
    const message =
      holder && holder !== scanId
        ? `Another scan (${holder}) of ${org} is recording history until ${new Date(lock?.lockExpiresAt as number).toISOString()}; scan ${scanId} was refused and none of its findings were written`
        : `A newer scan (${lock?.lastScanId}, started ${lock?.lastStartedAt}) of ${org} is already recorded; scan ${scanId} was refused so history does not go back in time`;
    return new ScanConflictError(message, org, scanId, { cause });
  }
}
