import type { LedgerStore } from './domain/ledger';
import { orgHost } from './okta/connection';
import { type ScanOptions, type ScanResult, scan } from './scan';

// A scan with the org's ledger: load it, read the log from its cursor, and add what this scan
// saw. Nothing is written when a log source was not read completely (the scan's ledgerUpdate is
// null then), nor when `save` is false (a dry run, a what-if).

export interface LedgerScanOptions {
  store: LedgerStore;
  /** Write the new entries and cursor back (default true). */
  save?: boolean;
  /** The key the ledger is kept under; default: the org URL's host. */
  org?: string;
}

export async function scanWithLedger(options: ScanOptions, ledger: LedgerScanOptions): Promise<ScanResult> {
  const org = ledger.org ?? orgHost(options.connection.orgUrl);
  const state = await ledger.store.loadLedger(org);
  const result = await scan({ ...options, ledger: state });
  if (ledger.save !== false && result.ledgerUpdate) await ledger.store.saveLedger(org, result.ledgerUpdate);
  return result;
}
