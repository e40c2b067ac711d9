import { randomBytes } from 'node:crypto';
import type { ScannerConfig } from './config';
import type { LedgerStore } from './domain/ledger';
import { loadInventory } from './inventory-file';
import { scanWithLedger } from './ledger-scan';
import type { OktaConnection } from './okta/connection';
import {
  type ReplayResult,
  reportFromInventory,
  type ScanOptions,
  type ScanResult,
  type ScanStats,
  scan,
} from './scan';

// Where a CLI command's inventory comes from: a saved file, the built-in demo org, or a live org.
// The CLI loads this module only once a command needs an inventory, so `--help`, `--version` and
// `rules` never load the Okta SDK or the collectors behind scan().

export type OrgSource =
  | { kind: 'file'; path: string }
  | { kind: 'demo' }
  | { kind: 'live'; connection: OktaConnection };

export interface ReadOptions {
  config: ScannerConfig;
  /** The evaluation time asked for; default: the file's collection time, the demo org's date, or now. */
  now?: Date;
  ruleIds?: string[];
  extraUsers?: string[];
  onProgress: (message: string) => void;
  /** Called with the evaluation time before any request, e.g. to warn of expired suppressions. */
  onNow: (now: Date) => void;
  /** A secret this run made up (the demo token), to keep out of anything written. */
  addSecret: (secret: string) => void;
  /** The clock and the waits of a live or demo scan; default: real time. */
  clock?: () => Date;
  sleep?: (ms: number) => Promise<void>;
  /** `--state-dir`: the ledger to read the log from and add to. */
  ledger?: LedgerStore;
}

export interface ReadResult {
  result: ReplayResult;
  now: Date;
  stats?: ScanStats;
}

export async function readOrg(source: OrgSource, options: ReadOptions): Promise<ReadResult> {
  const { config, ruleIds, extraUsers, onProgress, clock, sleep } = options;
  if (source.kind === 'file') {
    const inventory = loadInventory(source.path);
    const now = options.now ?? new Date(inventory.collectedAt);
    options.onNow(now);
    return { result: reportFromInventory(inventory, { config, now, ruleIds }), now };
  }
  if (source.kind === 'demo') return readDemoOrg(options);
  const now = options.now ?? clock?.() ?? new Date();
  options.onNow(now);
  const client = sleep ? { sleep } : undefined;
  const scanned = await scanOrg(
    { connection: source.connection, config, now, ruleIds, extraUsers, onProgress, clock, client },
    options.ledger,
  );
  return { result: scanned, now, stats: scanned.stats };
}

/** With a ledger, the scan reads the log from its cursor and adds what it saw. */
function scanOrg(options: ScanOptions, ledger: LedgerStore | undefined, org?: string): Promise<ScanResult> {
  return ledger ? scanWithLedger(options, { store: ledger, org }) : scan(options);
}

/** Scans the demo org on a fake Okta server started on 127.0.0.1 for this run alone. */
async function readDemoOrg(options: ReadOptions): Promise<ReadResult> {
  // The fake server and the demo org ship inside the CLI bundle, loaded only for --demo.
  const fake = await import('../fake-okta/server.js');
  const org = fake.loadOrg('demo');
  const now = options.now ?? new Date(org.asOf);
  options.onNow(now);
  const token = `demo-${randomBytes(24).toString('base64url')}`;
  options.addSecret(token);
  options.onProgress('Starting the demo Okta org on 127.0.0.1…');
  // The demo org's log moves with the scan's time, as Okta's keeps 90 days before now.
  const server = await fake.startFakeOkta({
    org,
    credentials: { apiTokens: [{ token }] },
    logClock: () => now.getTime(),
  });
  // The Okta SDK sends every request through HTTPS_PROXY when it is set, even to loopback,
  // where no proxy can reach the demo org: a proxied machine must still run the demo.
  const proxies = { HTTPS_PROXY: process.env.HTTPS_PROXY, https_proxy: process.env.https_proxy };
  delete process.env.HTTPS_PROXY;
  delete process.env.https_proxy;
  try {
    const scanned = await scanOrg(
      {
        connection: { orgUrl: server.url, auth: { kind: 'token', token } },
        config: options.config,
        now,
        ruleIds: options.ruleIds,
        extraUsers: options.extraUsers,
        onProgress: options.onProgress,
        clock: options.clock,
        client: options.sleep ? { sleep: options.sleep } : undefined,
      },
      options.ledger,
      // The demo server's port changes every run: its ledger is kept under one name.
      'demo',
    );
    return { result: scanned, now, stats: scanned.stats };
  } finally {
    for (const [name, value] of Object.entries(proxies)) if (value !== undefined) process.env[name] = value;
    await server.close();
  }
}
