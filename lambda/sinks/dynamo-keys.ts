// Key schema of the scan-history table. The CDK table and the dynalite test helper both mirror
// these constants, so a key rename cannot drift between the stack and the store.

export const TABLE_KEY = { partitionKey: 'pk', sortKey: 'sk' } as const;

/** Per-finding history, projected from the per-scan finding items (one write serves two reads). */
export const HISTORY_INDEX = {
  indexName: 'history',
  partitionKey: 'hpk',
  sortKey: 'hsk',
  nonKeyAttributes: ['scanId', 'at', 'status', 'state', 'expiresAt'],
} as const;

/** DynamoDB TTL attribute (epoch seconds). The lock and open-state items never carry it. */
export const TTL_ATTRIBUTE = 'expiresAt';

export const LOCK_SK = 'LOCK';
export const SCAN_META_SK = 'META';
export const SCAN_RECORD_PREFIX = 'SCAN#';
export const SCAN_FINDING_PREFIX = 'FINDING#';
export const SCAN_RESOLVED_PREFIX = 'RESOLVED#';
export const OPEN_PREFIX = 'OPEN#';
export const RESOLVED_PREFIX = 'RESOLVED#';

export const SECRET_ORG_SK = 'ORG';

export const keys = {
  /** Which org a secret pointed at when a scan last read it. */
  secretPk: (secret: string): string => `SECRET#${secret}`,
  /** Scan records and the org's lock. */
  orgPk: (org: string): string => `ORG#${org}`,
  /** ISO-8601 UTC timestamps sort as strings, so newest-first is a reverse Query. */
  scanRecordSk: (startedAt: string, scanId: string): string => `${SCAN_RECORD_PREFIX}${startedAt}#${scanId}`,
  /** Per-scan items: every finding of the scan, and the findings it resolved by absence. */
  scanPk: (scanId: string): string => `SCAN#${scanId}`,
  scanFindingSk: (findingId: string): string => `${SCAN_FINDING_PREFIX}${findingId}`,
  scanResolvedSk: (findingId: string): string => `${SCAN_RESOLVED_PREFIX}${findingId}`,
  /** The org's current state: open findings and resolved markers. */
  statePk: (org: string): string => `ORG#${org}#STATE`,
  openSk: (findingId: string): string => `${OPEN_PREFIX}${findingId}`,
  resolvedSk: (findingId: string): string => `${RESOLVED_PREFIX}${findingId}`,
  historyPk: (org: string, findingId: string): string => `ORG#${org}#FINDING#${findingId}`,
  historySk: (at: string, scanId: string): string => `${at}#${scanId}`,
};

/** The org's ledger: its entries (one per log event, by uuid) and its log cursor. */
export const LEDGER_ENTRY_PREFIX = 'ENTRY#';
export const LEDGER_CURSOR_SK = 'CURSOR';
export const ledgerKeys = {
  pk: (org: string): string => `ORG#${org}#LEDGER`,
  entrySk: (stream: string, uuid: string): string => `${LEDGER_ENTRY_PREFIX}${stream}#${uuid}`,
};
