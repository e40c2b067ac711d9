import { randomBytes } from 'node:crypto';
import { closeSync, fsyncSync, mkdirSync, openSync, readFileSync, renameSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import type { FindingChange, PreviousFindingState, ScanOutcome } from '../domain/history';
import { applyPlan, planFindings } from '../domain/history-plan';
import {
  EMPTY_LEDGER,
  type LedgerState,
  type LedgerStore,
  type LedgerUpdate,
  laterCursor,
  mergeLedger,
  pruneLedger,
} from '../domain/ledger';
import { ConfigError } from '../errors';

// `okta-scan scan --state-dir DIR`: the ledger, the log cursor and the findings' state in local
// JSON files, one folder per org. Each file is written whole to a temporary file, flushed, and
// renamed over the old one, so a crash mid-write leaves the old file or the new one, never half
// of either. The ledger is written before the findings' state: a crash between the two leaves
// a ledger a little ahead, which the next scan merges again without change (uuids dedupe).

const FORMAT_VERSION = 1;

interface LedgerFile {
  version: number;
  ledger: LedgerState;
}

interface HistoryFile {
  version: number;
  state: PreviousFindingState;
  scans: { scanId: string; startedAt: string; status: string }[];
}

/** Scans remembered in history.json, newest last. */
const SCANS_KEPT = 50;

export interface LocalStoreOptions {
  dir: string;
  now?: () => Date;
}

export class LocalStateStore implements LedgerStore {
  private readonly now: () => Date;

  constructor(private readonly options: LocalStoreOptions) {
    this.now = options.now ?? (() => new Date());
  }

  async loadLedger(org: string): Promise<LedgerState> {
    return this.read<LedgerFile>(org, 'ledger.json')?.ledger ?? EMPTY_LEDGER;
  }

  async saveLedger(org: string, update: LedgerUpdate): Promise<void> {
    const current = await this.loadLedger(org);
    const entries = pruneLedger(mergeLedger(current.entries, update.entries), this.now());
    const ledger: LedgerState = { entries, cursor: laterCursor(current.cursor, update.cursor) };
    this.write(org, 'ledger.json', { version: FORMAT_VERSION, ledger } satisfies LedgerFile);
  }

  /**
   * Records a finished scan and returns how each finding changed since the last one in this
   * folder; `org` is the key it is kept under (default: the report's org).
   */
  async recordScan(outcome: ScanOutcome, org = outcome.report.org): Promise<FindingChange[]> {
    const { scanId, startedAt, status } = outcome.report;
    const file = this.read<HistoryFile>(org, 'history.json');
    const previous = file?.state ?? { open: [], resolved: [] };
    const planned = planFindings(previous, outcome, startedAt);
    const state = applyPlan(previous, planned, startedAt, scanId);
    const scans = [...(file?.scans ?? []), { scanId, startedAt, status }].slice(-SCANS_KEPT);
    this.write(org, 'history.json', { version: FORMAT_VERSION, state, scans } satisfies HistoryFile);
    return planned.map((p) => p.change);
  }

  private folder(org: string): string {
    // A host name (with a port for loopback orgs): keep it one safe path segment.
    return join(this.options.dir, org.replace(/[^A-Za-z0-9._-]/g, '_'));
  }

  private read<T extends { version: number }>(org: string, name: string): T | null {
    const path = join(this.folder(org), name);
    let text: string;
    try {
      text = readFileSync(path, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw new ConfigError(`--state-dir: cannot read ${path}: ${(error as Error).message}`);
    }
    let parsed: T;
    try {
      parsed = JSON.parse(text) as T;
    } catch {
      throw new ConfigError(`--state-dir: ${path} is not valid JSON`, [
        'restore it from a backup, or remove it to start that org afresh (the first scan then reads the whole window)',
      ]);
    }
    if (parsed.version !== FORMAT_VERSION) {
      throw new ConfigError(
        `--state-dir: ${path} has format version ${parsed.version}; this okta-scan reads ${FORMAT_VERSION}`,
      );
    }
    return parsed;
  }

  private write(org: string, name: string, value: unknown): void {
    const folder = this.folder(org);
    mkdirSync(folder, { recursive: true });
    const path = join(folder, name);
    const temp = `${path}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
    const fd = openSync(temp, 'w', 0o600);
    try {
      writeSync(fd, `${JSON.stringify(value)}\n`);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(temp, path);
  }
}
