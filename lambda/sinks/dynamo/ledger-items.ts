import { type DynamoDBDocumentClient, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import {
  type LedgerEntry,
  type LedgerState,
  type LedgerStore,
  type LedgerUpdate,
  type LogCursor,
  WINDOW_RETENTION_DAYS,
  WINDOW_STREAMS,
} from '../../domain/ledger';
import { LEDGER_CURSOR_SK, LEDGER_ENTRY_PREFIX, ledgerKeys, TTL_ATTRIBUTE } from '../dynamo-keys';
import type { BatchWriter } from './batch-writer';
import { isConditionalFailure } from './conditional-failure';
import type { Item } from './items';

// The ledger's items (see the access-pattern table in dynamo-store.ts). Entries are keyed by
// their event's uuid, so writing one again overwrites it with itself; the cursor moves only
// forward (a conditional update), after the entries, so a crash between the two re-reads a
// little log rather than losing an event. Authorization facts carry no TTL; failure events
// expire once they are older than the lookback can reach.

export interface DynamoLedgerOptions {
  doc: DynamoDBDocumentClient;
  tableName: string;
  writer: BatchWriter;
}

function entryItem(org: string, entry: LedgerEntry): Item {
  const item: Item = {
    pk: ledgerKeys.pk(org),
    sk: ledgerKeys.entrySk(entry.stream, entry.uuid),
    stream: entry.stream,
    uuid: entry.uuid,
    integration: entry.integration,
    account: entry.account,
    eventType: entry.eventType,
    published: entry.published,
    event: JSON.stringify(entry.event),
  };
  if (WINDOW_STREAMS.includes(entry.stream)) {
    const published = Date.parse(entry.published);
    item[TTL_ATTRIBUTE] = Math.floor(published / 1000) + (WINDOW_RETENTION_DAYS + 1) * 86_400;
  }
  return item;
}

function entryOf(item: Item): LedgerEntry {
  // The stream says which kind of event the item holds (LedgerEvent).
  return {
    stream: item.stream as LedgerEntry['stream'],
    uuid: item.uuid as string,
    integration: item.integration as string,
    account: (item.account as string | null) ?? null,
    eventType: item.eventType as string,
    published: item.published as string,
    event: JSON.parse(item.event as string),
  };
}

export class DynamoLedger implements LedgerStore {
  constructor(private readonly options: DynamoLedgerOptions) {}

  async loadLedger(org: string): Promise<LedgerState> {
    const entries: LedgerEntry[] = [];
    let cursor: LogCursor | null = null;
    let startKey: Item | undefined;
    do {
      const page = await this.options.doc.send(
        new QueryCommand({
          TableName: this.options.tableName,
          KeyConditionExpression: 'pk = :pk',
          ExpressionAttributeValues: { ':pk': ledgerKeys.pk(org) },
          ConsistentRead: true,
          ExclusiveStartKey: startKey,
        }),
      );
      for (const item of page.Items ?? []) {
        if (item.sk === LEDGER_CURSOR_SK) cursor = { since: item.since as string, until: item.until as string };
        else if (String(item.sk).startsWith(LEDGER_ENTRY_PREFIX)) entries.push(entryOf(item));
      }
      startKey = page.LastEvaluatedKey;
    } while (startKey);
    entries.sort((a, b) => a.published.localeCompare(b.published) || a.uuid.localeCompare(b.uuid));
    return { entries, cursor };
  }

  async saveLedger(org: string, update: LedgerUpdate): Promise<void> {
    await this.options.writer.write(update.entries.map((entry) => ({ PutRequest: { Item: entryItem(org, entry) } })));
    try {
      await this.options.doc.send(
        new UpdateCommand({
          TableName: this.options.tableName,
          Key: { pk: ledgerKeys.pk(org), sk: LEDGER_CURSOR_SK },
          UpdateExpression: 'SET #until = :until, #since = :since',
          ConditionExpression: 'attribute_not_exists(#until) OR #until < :until',
          ExpressionAttributeNames: { '#until': 'until', '#since': 'since' },
          ExpressionAttributeValues: { ':until': update.cursor.until, ':since': update.cursor.since },
        }),
      );
    } catch (error) {
      // The cursor is already at or past this one: a later scan moved it.
      if (!isConditionalFailure(error)) throw error;
    }
  }
}
